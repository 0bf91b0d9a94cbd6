/**
 * Sign-in with EDS (docs/eds.md "Sign-in, end to end"): a nonce from POST /v1/auth/challenge,
 * NCALayer signs its bytes with the AUTH key, POST /v1/auth/sign-in verifies the CMS and sets the
 * HttpOnly session cookie and the CSRF cookie. Signing a document: the API's sign request gives the
 * canonical form's bytes and the SIGN key's usages; NCALayer signs them; the CMS goes with the request.
 */
import { call, type SessionView } from './api';
import type { Lang } from './i18n';
import { AUTH_EKU, ncaSign } from './ncalayer';

// The name on the certificate, as sign-in answered it, for the page header after a reload
// (GET /v1/auth/session does not repeat it); this tab only, gone with it or at sign-out.
const NAME_KEY = 'hpc_name';

export async function currentSession(): Promise<SessionView | undefined> {
  try {
    const s = await call<SessionView>('GET', '/v1/auth/session');
    const name = sessionStorage.getItem(NAME_KEY);
    return name ? { ...s, name } : s;
  } catch {
    return undefined;
  }
}

export async function signIn(as: 'applicant' | 'representative' | 'staff', lang: Lang): Promise<SessionView> {
  const { nonce } = await call<{ nonce: string }>('POST', '/v1/auth/challenge', { body: {} });
  const cms = await ncaSign(nonce, [AUTH_EKU], lang);
  const session = await call<SessionView>('POST', '/v1/auth/sign-in', { body: { nonce, cms, as, delivery: 'cookie' } });
  if (session.name) sessionStorage.setItem(NAME_KEY, session.name);
  return session;
}

export async function signOut(): Promise<void> {
  sessionStorage.removeItem(NAME_KEY);
  await call('POST', '/v1/auth/sign-out', { body: {} });
}

export interface SignRequestAnswer {
  data: string;
  extKeyUsageOids: string[];
  decidedAt?: string;
}

/** The sign request, then NCALayer: the signature (and a decision's decidedAt). */
export async function signDocument(path: string, body: unknown, lang: Lang, headers: Record<string, string> = {}): Promise<{ signature: string; decidedAt?: string }> {
  const form = await call<SignRequestAnswer>('POST', path, { body, headers });
  const signature = await ncaSign(form.data, form.extKeyUsageOids, lang);
  return { signature, ...(form.decidedAt ? { decidedAt: form.decidedAt } : {}) };
}
