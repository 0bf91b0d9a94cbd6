/**
 * The API as the pages call it: same origin, the session cookie, the CSRF token of the cookie
 * session (api/auth/cookies.ts) in X-CSRF-Token on every state-changing request, and the API's one
 * error format (api/errors.ts) turned into ApiFailure with its kk/ru text and field.
 */
import { t, type Lang } from './i18n';

export interface Localized {
  kk: string;
  ru: string;
  en?: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Localized,
    readonly field?: string,
    readonly details?: unknown[],
  ) {
    super(text.en ?? text.ru);
  }
  /** 404 on an endpoint the server does not have yet (ROUTE_NOT_FOUND), not a missing case. */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'ROUTE_NOT_FOUND';
  }
}

function csrfToken(): string | undefined {
  const m = /(?:^|;\s*)__Host-hpc_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : undefined;
}

export interface CallOptions {
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  /** Staff reads state why (api/audit.ts, X-HPC-Purpose). */
  purpose?: string;
}

export async function call<T>(method: string, path: string, o: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  if (o.purpose) headers['X-HPC-Purpose'] = encodeURIComponent(o.purpose);
  let body: BodyInit | undefined;
  if (o.raw) {
    body = o.raw;
    headers['content-type'] = o.contentType ?? 'application/octet-stream';
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'NETWORK', { kk: t('networkError', 'kk'), ru: t('networkError', 'ru') });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; field?: string; message?: Localized; details?: unknown[] } } | undefined)?.error;
    throw new ApiFailure(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? { kk: t('genericError', 'kk'), ru: t('genericError', 'ru') },
      e?.field,
      e?.details,
    );
  }
  return json as T;
}

/** The kk/ru text of any failure, for a message beside a field or at the top of a form. */
export function failureText(err: unknown, lang: Lang): string {
  if (err instanceof ApiFailure) return err.routeMissing ? t('notAvailable', lang) : err.text[lang];
  if (err instanceof Error && 'localized' in err) return (err as Error & { localized: Localized }).localized[lang];
  return t('genericError', lang);
}

/** Every field error of a 400 (api/errors.ts: the first issue, others in details), by field path. */
export function fieldErrors(err: unknown): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  if (!(err instanceof ApiFailure)) return out;
  if (err.field) out[err.field] = err.text;
  for (const d of err.details ?? []) {
    const issue = d as { field?: string; message?: Localized };
    if (issue && typeof issue.field === 'string' && issue.message && out[issue.field] === undefined) out[issue.field] = issue.message;
  }
  return out;
}

// ---- shapes the pages read (api/schemas.ts; the cabinet and staff lists of issue #12) ----

export interface AllowedAction {
  action: string;
  allowed: boolean;
  reason?: Localized;
}

export interface ApplicationView {
  applicationId: string;
  applicantIin?: string;
  path: 'NO_HOUSING' | 'EMERGENCY';
  kato: string;
  locality: string;
  declaredCategories: string[];
  status: string;
  statusText: { name: Localized; next: Localized };
  flags: string[];
  allowedActions: AllowedAction[];
  receivedAt: string;
  decisionDueAt: string;
  grounds: { id: string; rule?: string; reason: Localized }[];
  hearingAt?: string;
  positionStated?: boolean;
  decision?: { outcome: string; at: string };
  queue?: { registrationNumber: string; position: number; kato: string; categoryPositions: Record<string, number> };
  emergencyPropertyId?: string;
}

export interface SessionView {
  role: string;
  id: string;
  name?: string;
}

export function allowed(view: { allowedActions: AllowedAction[] } | undefined, action: string): boolean {
  return !!view?.allowedActions.find((a) => a.action === action && a.allowed);
}
