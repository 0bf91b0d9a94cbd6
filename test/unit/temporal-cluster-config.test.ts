/**
 * The cluster `npm run cluster` starts (dev/cluster/temporal-cluster.ts) cannot run in npm test (the
 * server takes 10-18 minutes to build on a fresh machine; docs/cluster.md says why), but its
 * configuration can be checked: each service's config derived from Temporal's
 * development-postgres12.yaml (a copy of v1.32.2's in test/fixtures/) lists every service, gives
 * the second history host ports of its own, keeps membership ports below 32768 (a smallint column
 * in Temporal's cluster_membership table), and points at the given database and shard count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { lowFreePort, serviceConfig, type Ports } from '../../dev/cluster/temporal-cluster';

const base = parse(readFileSync(join(__dirname, '..', 'fixtures', 'development-postgres12.yaml'), 'utf8')) as Record<string, any>;
const options = { root: '/repo', dir: '/tmp/x', postgres: { host: '127.0.0.1', port: 54330, user: 'postgres', password: 'pw' }, historyShards: 16 };
const ports = (n: number): Ports => ({ grpc: n, membership: n + 1, metrics: n + 2 });
const all = { frontend: { ...ports(21000), http: 21003 }, matching: ports(21010), history: ports(21020), worker: ports(21030) };

test('each service config lists every service; a second history host has its own ports', () => {
  const second = parse(serviceConfig(base, options, all, { service: 'history', ports: ports(21040) }, '/tmp/dc.yaml'));
  expect(Object.keys(second.services).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
  expect(second.services.history.rpc).toMatchObject({ grpcPort: 21040, membershipPort: 21041 });
  expect(second.global.metrics.prometheus.listenAddress).toBe('127.0.0.1:21042');
  const matching = parse(serviceConfig(base, options, all, { service: 'matching', ports: all.matching }, '/tmp/dc.yaml'));
  expect(matching.services.history.rpc.grpcPort).toBe(21020);
  expect(matching.publicClient.hostPort).toBe('127.0.0.1:21000');
});

test('the database, shard count, archival and dynamic config are this cluster\'s', () => {
  const c = parse(serviceConfig(base, options, all, { service: 'frontend', ports: all.frontend }, '/tmp/dc.yaml'));
  expect(c.persistence.numHistoryShards).toBe(16);
  for (const store of Object.values(c.persistence.datastores) as { sql: Record<string, unknown> }[]) {
    expect(store.sql).toMatchObject({ pluginName: 'postgres12', connectAddr: '127.0.0.1:54330', user: 'postgres', password: 'pw' });
  }
  expect(c.archival.history.state).toBe('disabled');
  expect(c.dynamicConfigClient.filepath).toBe('/tmp/dc.yaml');
});

test('ports come from below 32768 (the membership table keeps them in a smallint)', async () => {
  for (let i = 0; i < 5; i++) expect(await lowFreePort()).toBeLessThan(32768);
});
