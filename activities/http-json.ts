/**
 * A JSON POST over node:http(s) with one keep-alive agent per process, for the activities' calls to
 * the e-government gateway and the SMS gateway.
 *
 * Why not fetch: every case makes 13 registry calls and an SMS call, and fetch's WHATWG streams,
 * Headers and AbortSignal machinery cost more worker CPU per call than the call's own work
 * (bench/README.md, profile of the worker). A network error or the timeout rejects with an Error,
 * which Temporal retries like any failure that is not an ApplicationFailure.nonRetryable.
 */
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when it was empty or not JSON. */
  body: unknown;
}

export class HttpTimeoutError extends Error {
  constructor(url: string, ms: number) {
    super(`no answer from ${new URL(url).origin} within ${ms} ms`);
    this.name = 'HttpTimeoutError';
  }
}

export function postJson(url: string, payload: unknown, timeoutMs: number, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const target = new URL(url);
  const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
  const data = Buffer.from(JSON.stringify(payload));
  const send = protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: agents[protocol],
        headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    // `timeout` is idle time on the socket; the whole exchange is bounded too.
    const timer = setTimeout(() => req.destroy(new HttpTimeoutError(url, timeoutMs)), timeoutMs);
    req.on('timeout', () => req.destroy(new HttpTimeoutError(url, timeoutMs)));
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end(data);
  });
}
