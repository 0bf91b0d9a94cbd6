/**
 * The development NCALayer stand-in (dev/ncalayer/, docs/web.md) speaks NCALayer's protocol: TLS
 * WebSocket, a version greeting, `kz.gov.pki.knca.basics` `sign` answered with a CMS the server's
 * sign-in check accepts, an empty result when no key fits (the person can only cancel), an error
 * for what NCALayer would refuse; and it never starts with NODE_ENV=production.
 */
import WebSocket from 'ws';
import { newSignInNonce, verifySignIn } from '../../security/pki';
import { startNcaLayerStandIn, type RunningStandIn } from '../../dev/ncalayer/server';
import { createTestPki, type TestPki } from '../helpers/auth';

jest.setTimeout(60_000);

const IIN = '950314419498';
let pki: TestPki;
let standIn: RunningStandIn;

beforeAll(async () => {
  pki = await createTestPki();
  const auth = await pki.person(IIN, 'AUTH');
  standIn = await startNcaLayerStandIn({ port: 0, holders: { [IIN]: [{ privateKey: auth.privateKey, certificate: auth.certificate.der }] } });
});

afterAll(async () => {
  await standIn?.close();
});

/** One connection as the browser makes it: the greeting, then one request and its answer. */
async function exchange(request: unknown): Promise<{ greeting: unknown; answer: Record<string, unknown> }> {
  const ws = new WebSocket(standIn.url, { rejectUnauthorized: false });
  const messages: unknown[] = [];
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      messages.push(JSON.parse(data.toString()));
      if (messages.length === 1) ws.send(typeof request === 'string' ? request : JSON.stringify(request));
      if (messages.length === 2) {
        ws.close();
        resolve({ greeting: messages[0], answer: messages[1] as Record<string, unknown> });
      }
    });
  });
}

const signRequest = (data: string, extKeyUsageOids: string[]) => ({
  module: 'kz.gov.pki.knca.basics',
  method: 'sign',
  args: { allowedStorages: ['PKCS12'], format: 'cms', data, signingParams: { decode: true, encapsulate: false, digested: false }, signerParams: { extKeyUsageOids, chain: [] }, locale: 'kk' },
});

describe('the NCALayer stand-in', () => {
  it('greets with a version and signs the nonce with the AUTH key: a CMS the sign-in check accepts', async () => {
    standIn.select(IIN);
    const nonce = newSignInNonce();
    const { greeting, answer } = await exchange(signRequest(nonce, ['1.3.6.1.5.5.7.3.2']));
    expect(greeting).toEqual({ result: { version: expect.any(String) } });
    expect(answer.status).toBe(true);
    const cms = (answer.body as { result: string }).result;
    const verdict = await verifySignIn({ cmsBase64: cms, nonce, at: new Date(), purpose: 'CITIZEN', trust: pki.trust, revocation: pki.authOptions.revocation! });
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.identity.iin).toBe(IIN);
  });

  it('answers no result when no key has the usages asked for, or no token is plugged in (the person can only cancel)', async () => {
    standIn.select(IIN);
    expect((await exchange(signRequest(newSignInNonce(), ['1.3.6.1.5.5.7.3.4']))).answer).toEqual({ status: true, body: {} }); // no SIGN key
    standIn.select(undefined);
    expect((await exchange(signRequest(newSignInNonce(), ['1.3.6.1.5.5.7.3.2']))).answer).toEqual({ status: true, body: {} });
    standIn.select(IIN);
  });

  it('refuses what NCALayer refuses: not JSON, another module', async () => {
    expect((await exchange('not json')).answer).toMatchObject({ status: false });
    expect((await exchange({ module: 'kz.gov.pki.knca.commonUtils', method: 'getKeyInfo', args: {} })).answer).toMatchObject({ status: false });
  });

  it('does not start in production', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startNcaLayerStandIn({ port: 0, holders: {} })).rejects.toThrow(/development and tests only/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
