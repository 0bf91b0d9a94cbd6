/**
 * A development stand-in for NCALayer (docs/eds.md, docs/web.md): the same protocol on the same
 * address — a WebSocket over TLS at wss://127.0.0.1:13579/ answering `kz.gov.pki.knca.basics`
 * `sign` as NCALayer does (security/pki/test-signer.ts makes the CMS) — signing with the keys of
 * the development test CA (security/pki/test-ca/), so the browser's sign-in and signing are the
 * real flow end to end. Development and tests only: it holds private keys in memory, refuses to
 * start with NODE_ENV=production, and nothing under api/, worker/ or the production image imports it.
 *
 * Which person's "token" is plugged in stands for NCALayer's key dialog: `select(holder)` in
 * tests, or `POST /select {"holder": "<IIN or staff id>"}` / the form at https://127.0.0.1:13579/
 * in development (opening that page once also lets the browser accept the stand-in's
 * self-signed TLS certificate).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { WebSocketServer } from 'ws';
import { TestNcaLayer, type SignerKey } from '../pki/test-signer';

export const NCALAYER_PORT = 13579;

export interface StandInOptions {
  port?: number;
  host?: string;
  /** The keys of each holder (an IIN or a staff id): AUTH and SIGN, as on their token. */
  holders: Record<string, SignerKey[]>;
  /** The holder plugged in at the start. */
  selected?: string;
}

export interface RunningStandIn {
  url: string;
  port: number;
  select(holder: string | undefined): void;
  selected(): string | undefined;
  /** How many sign requests it answered (tests: the browser really asked). */
  requests(): number;
  close(): Promise<void>;
}

/** A self-signed TLS certificate for 127.0.0.1 and localhost, made at start (never written). */
function tlsCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }, { name: 'organizationName', value: 'NCALayer stand-in (development)' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

function chooserPage(holders: string[], selected: string | undefined): string {
  const options = holders.map((h) => `<option${h === selected ? ' selected' : ''}>${h}</option>`).join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>NCALayer stand-in</title>
<h1>NCALayer stand-in (development)</h1><p>Plugged-in key holder: <strong>${selected ?? 'none'}</strong></p>
<form method="post" action="/select"><label>Holder <select name="holder">${options}</select></label> <button>Plug in</button></form></html>`;
}

export async function startNcaLayerStandIn(o: StandInOptions): Promise<RunningStandIn> {
  if (process.env.NODE_ENV === 'production') throw new Error('the NCALayer stand-in is for development and tests only (NODE_ENV=production)');
  const layers = new Map<string, TestNcaLayer>();
  for (const [holder, keys] of Object.entries(o.holders)) layers.set(holder, new TestNcaLayer(keys));
  let selected: string | undefined = o.selected ?? Object.keys(o.holders)[0];
  let count = 0;

  const server: Server = createServer(tlsCertificate(), (req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(chooserPage([...layers.keys()], selected));
      return;
    }
    if (req.method === 'POST' && req.url === '/select') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        let holder: string | undefined;
        try {
          holder = (JSON.parse(body) as { holder?: string }).holder;
        } catch {
          holder = new URLSearchParams(body).get('holder') ?? undefined;
        }
        if (!holder || !layers.has(holder)) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('unknown holder');
          return;
        }
        selected = holder;
        res.writeHead(303, { location: '/' }).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    // NCALayer greets every connection with its version before any request.
    ws.send(JSON.stringify({ result: { version: '1.4-standin' } }));
    ws.on('message', (data) => {
      count += 1;
      const layer = selected ? layers.get(selected) : undefined;
      if (!layer) {
        ws.send(JSON.stringify({ status: true, body: {} })); // no key on the token: the person can only cancel
        return;
      }
      void layer.handle(data.toString('utf8')).then((answer) => ws.send(JSON.stringify(answer)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? NCALAYER_PORT, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `wss://127.0.0.1:${port}/`,
    port,
    select(holder) {
      if (holder !== undefined && !layers.has(holder)) throw new Error(`the stand-in holds no keys of ${holder}`);
      selected = holder;
    },
    selected: () => selected,
    requests: () => count,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
