/**
 * A small HTTP server beside a process's main work (issue #13 §1): `/health` is liveness (the
 * process answers), `/ready` is readiness (it can do its work now: its dependencies answer), and
 * `/metrics` when a prom-client registry is given. Kept off the API's public port, so scrapers and
 * the orchestrator's probes need no place in the API's policy.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

export async function startProbeServer(o: { host: string; port: number; ready: () => Promise<boolean>; registry?: Registry }): Promise<ProbeServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"live"}');
    } else if (path === '/ready') {
      o.ready().then(
        (ok) => res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'not ready' })),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"not ready"}'),
      );
    } else if (path === '/metrics' && o.registry) {
      const registry = o.registry;
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return { url: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
