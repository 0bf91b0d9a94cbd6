/**
 * NCALayer, the desktop application that holds a person's keys, reached as the live service does
 * (../shared/rules/CONTEXT.md, docs/eds.md): a WebSocket to wss://127.0.0.1:13579/, one JSON
 * request `{module: 'kz.gov.pki.knca.basics', method: 'sign', args}`; the answer
 * `{status: true, body: {result}}`, no result when the person cancelled, `{status: false, code,
 * message}` on an error. NCALayer greets a new connection with its version first; that is skipped.
 * The address comes from `<meta name="hpc-ncalayer">` (api/web.ts fills it; the live address by
 * default), so the development stand-in (dev/ncalayer/) can run on another port in tests.
 */
export const AUTH_EKU = '1.3.6.1.5.5.7.3.2';

export class NcaLayerError extends Error {
  constructor(readonly kind: 'UNREACHABLE' | 'CANCELLED' | 'FAILED', message: string) {
    super(message);
  }
}

export function ncaLayerUrl(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="hpc-ncalayer"]')?.content || 'wss://127.0.0.1:13579/';
}

/** Has NCALayer sign `data` (base64; its bytes are signed) with a key of these extended key usages: a detached CMS, base64. */
export function ncaSign(data: string, extKeyUsageOids: string[], locale: 'kk' | 'ru'): Promise<string> {
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(ncaLayerUrl());
    } catch {
      reject(new NcaLayerError('UNREACHABLE', 'cannot connect'));
      return;
    }
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    };
    ws.onerror = () => finish(() => reject(new NcaLayerError('UNREACHABLE', 'connection failed')));
    ws.onclose = () => finish(() => reject(new NcaLayerError('UNREACHABLE', 'connection closed')));
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          module: 'kz.gov.pki.knca.basics',
          method: 'sign',
          args: {
            allowedStorages: ['PKCS12', 'AKKaztokenStore', 'AKKZIDCardStore', 'AKEToken72KStore', 'AKJaCartaStore'],
            format: 'cms',
            data,
            signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: null },
            signerParams: { extKeyUsageOids, chain: [] },
            locale,
          },
        }),
      );
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: { status?: boolean; body?: { result?: unknown }; code?: string; message?: string };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg.status !== 'boolean') return; // the version greeting
      if (!msg.status) {
        finish(() => reject(new NcaLayerError('FAILED', msg.message ?? msg.code ?? 'error')));
        return;
      }
      const result = Array.isArray(msg.body?.result) ? msg.body?.result[0] : msg.body?.result;
      if (typeof result === 'string' && result.length > 0) finish(() => resolve(result));
      else finish(() => reject(new NcaLayerError('CANCELLED', 'cancelled')));
    };
  });
}

/** A base64 of a text's UTF-8 bytes (the sign-in nonce is already base64). */
export function base64OfText(text: string): string {
  let s = '';
  for (const b of new TextEncoder().encode(text)) s += String.fromCharCode(b);
  return btoa(s);
}
