/**
 * The chaos load generator's HTTP side: what a real client does during an outage. A submission that
 * gets no answer or a 5xx is retried with the SAME Idempotency-Key until the API gives a definite
 * answer (202/201/200 with the case, or a 4xx); each path's follow-up actions (report upload, operator
 * review, position) are retried the same way, a 409 being read as "the case already took it or
 * moved on" and checked against the case's status.
 *
 * Nothing here logs personal data: outcomes are kept by application index.
 */
import { randomUUID } from 'node:crypto';
import { BENCH_KATO } from '../bench/fixture';
import type { ChaosPerson } from './fixture';

export const OPERATOR = 'operator:OP-0001';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

export interface HttpAnswer {
  /** 0: no answer (connection refused, reset, timeout). */
  status: number;
  body: Record<string, unknown>;
  /** The Retry-After header, when the answer has one. */
  retryAfter?: string;
  /** From sending to the whole answer read. */
  ms?: number;
}

/** One answer to one submission attempt (retries each have their own), for the rush scenario. */
export interface SubmitAnswer {
  index: number;
  status: number;
  errorCode?: string;
  retryAfter?: string;
  ms: number;
  /** When the answer came (epoch ms). */
  at: number;
}

export interface SubmissionRecord {
  index: number;
  key: string;
  iin: string;
  /** accepted: 202/201/200 with a case id (202: on record, checking queued — issue #14); rejected: a definite 4xx; failed: no definite answer in time. */
  outcome: 'accepted' | 'rejected' | 'failed';
  status: number;
  applicationId?: string;
  /** The error code of a rejection (e.g. ACTIVE_APPLICATION_EXISTS). */
  errorCode?: string;
  attempts: number;
  /** The receivedAt the acceptance named: the place in the queue given at receipt (SPEC §7). */
  receivedAt?: string;
}

/** The error code and the English reason of an API error (never personal data: the API's own text). */
function reasonOf(a: HttpAnswer): string {
  const e = a.body.error as { code?: unknown; message?: { en?: unknown } } | undefined;
  return `${typeof e?.code === 'string' ? e.code : ''}${typeof e?.message?.en === 'string' ? `: ${e.message.en.slice(0, 160)}` : ''}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The route of a request, as the API logs it: ids as `:id`, no query string. */
export function routeOf(method: string, path: string): string {
  return `${method} ${path.split('?')[0].replace(UUID, ':id')}`;
}

export class ChaosClient {
  /** Answers without a definite result (no answer or 5xx), each retried. */
  retried = 0;
  /** Every answer to every submission attempt, in the order they came. */
  readonly submitAnswers: SubmitAnswer[] = [];
  /**
   * Actions refused (409) while the case, as its applicant reads it, still waited for exactly that
   * action — each tried again, with a new key, as a person would (see `untilTaken`).
   */
  refusedWhileAwaited = 0;
  /** Every answer to every request, by its route (`GET /v1/applications/:id`, ids and query left out). */
  readonly answers: { route: string; status: number; ms: number }[] = [];

  constructor(
    private readonly apiUrl: string,
    /** How long a request keeps being retried before it is given up. */
    private readonly retryForMs = 180_000,
  ) {}

  async call(method: 'GET' | 'POST', path: string, actor: string, o: { json?: unknown; pdf?: Buffer; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'X-HPC-Actor': actor, ...o.headers };
    let body: string | Buffer | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.pdf) {
      headers['content-type'] = 'application/pdf';
      body = o.pdf;
    }
    const sent = Date.now();
    try {
      const res = await fetch(`${this.apiUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { raw: text.slice(0, 200) };
      }
      const retryAfter = res.headers.get('retry-after');
      this.answers.push({ route: routeOf(method, path), status: res.status, ms: Date.now() - sent });
      return { status: res.status, body: parsed, ms: Date.now() - sent, ...(retryAfter !== null ? { retryAfter } : {}) };
    } catch (err) {
      this.answers.push({ route: routeOf(method, path), status: 0, ms: Date.now() - sent });
      return { status: 0, body: { error: (err as Error).message }, ms: Date.now() - sent };
    }
  }

  /** Retries while the answer is not definite (no answer, 5xx, 429); returns the last answer. */
  async retrying(send: () => Promise<HttpAnswer>): Promise<HttpAnswer & { attempts: number }> {
    const until = Date.now() + this.retryForMs;
    let attempts = 0;
    let wait = 250;
    for (;;) {
      attempts += 1;
      const answer = await send();
      const definite = answer.status !== 0 && answer.status < 500 && answer.status !== 429;
      if (definite || Date.now() > until) return { ...answer, attempts };
      this.retried += 1;
      // A server that says when to come back (503 INTAKE_BUSY, 429) is believed, within reason.
      const told = Number(answer.retryAfter);
      await sleep(Number.isFinite(told) && told > 0 ? Math.min(told * 1000, 10_000) : wait);
      wait = Math.min(wait * 2, 3000);
    }
  }

  /** The application body of a chaos person. */
  static bodyOf(p: ChaosPerson): Record<string, unknown> {
    return {
      applicantIin: p.iin,
      path: p.emergency ? 'EMERGENCY' : 'NO_HOUSING',
      fund: 'STATE_HOUSING',
      kato: BENCH_KATO,
      ...(p.emergency ? { emergencyPropertyId: p.emergency.propertyId } : {}),
      categories: [],
      contact: { mobile: p.mobile },
      consents: ['C1', 'C2', 'C3', 'C4'],
    };
  }

  async submit(p: ChaosPerson, key: string, body = ChaosClient.bodyOf(p)): Promise<SubmissionRecord> {
    const answer = await this.retrying(async () => {
      const a = await this.call('POST', '/v1/applications', `applicant:${p.iin}`, { json: body, headers: { 'Idempotency-Key': key } });
      const code = (a.body.error as { code?: unknown } | undefined)?.code;
      this.submitAnswers.push({
        index: p.index,
        status: a.status,
        ms: a.ms ?? 0,
        at: Date.now(),
        ...(typeof code === 'string' ? { errorCode: code } : {}),
        ...(a.retryAfter !== undefined ? { retryAfter: a.retryAfter } : {}),
      });
      return a;
    });
    const base = { index: p.index, key, iin: p.iin, status: answer.status, attempts: answer.attempts };
    const id = answer.body.applicationId;
    const receivedAt = typeof answer.body.receivedAt === 'string' ? { receivedAt: answer.body.receivedAt } : {};
    if ((answer.status === 202 || answer.status === 201 || answer.status === 200) && typeof id === 'string') return { ...base, outcome: 'accepted', applicationId: id, ...receivedAt };
    if (answer.status >= 400 && answer.status < 500) {
      const code = (answer.body.error as { code?: unknown } | undefined)?.code;
      return { ...base, outcome: 'rejected', ...(typeof code === 'string' ? { errorCode: code } : {}) };
    }
    const code = (answer.body.error as { code?: unknown } | undefined)?.code;
    return { ...base, outcome: 'failed', ...(typeof code === 'string' ? { errorCode: code } : {}) };
  }

  /** The case's status as its applicant reads it, or undefined when the API gives none now. */
  async status(id: string, iin: string): Promise<{ status: string; positionStated?: boolean } | undefined> {
    const a = await this.call('GET', `/v1/applications/${id}`, `applicant:${iin}`);
    if (a.status !== 200 || typeof a.body.status !== 'string') return undefined;
    return { status: a.body.status, positionStated: a.body.positionStated === true };
  }

  /** Polls until the status is one of `want`; undefined after `timeoutMs`. */
  async waitFor(id: string, iin: string, want: string[], timeoutMs: number): Promise<string | undefined> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const s = await this.status(id, iin);
      if (s && want.includes(s.status)) return s.status;
      await sleep(1000);
    }
    return undefined;
  }

  /**
   * One action until the case takes it: each attempt retried with its own Idempotency-Key while the
   * answer is not definite (so a retry after a lost answer is the same request, and one upload one
   * version), and a 409 checked against the case's status — when the case still waits for this very
   * action (the workflow was behind its own record, e.g. its first task lost in a Temporal crash),
   * the person tries again a little later with a new request. Returns the last answer.
   */
  async untilTaken(
    send: (key: string) => Promise<HttpAnswer>,
    stillAwaited: () => Promise<boolean>,
    timeoutMs: number,
  ): Promise<HttpAnswer & { attempts: number }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const key = `chaos-action-${randomUUID()}`;
      const answer = await this.retrying(() => send(key));
      if (answer.status !== 409 || Date.now() > until || !(await stillAwaited())) return answer;
      this.refusedWhileAwaited += 1;
      await sleep(2000);
    }
  }

  /**
   * Takes an accepted case down its path: EMERGENCY uploads the report and has the operator accept
   * it; HEARING_POSITION states a position. Returns what happened, for the report (not the audit:
   * the audit reads the database and Temporal).
   */
  async followPath(p: ChaosPerson, id: string, timeoutMs: number): Promise<string> {
    const actor = `applicant:${p.iin}`;
    if (p.path === 'EMERGENCY' && p.emergency) {
      const at = await this.waitFor(id, p.iin, ['AWAITING_REPORT', 'AWAITING_REVIEW', 'REGISTERED', 'REFUSED', 'HEARING_SCHEDULED'], timeoutMs);
      if (at === 'AWAITING_REPORT') {
        const q = new URLSearchParams({ reportNumber: p.emergency.reportNumber, propertyId: p.emergency.propertyId });
        const up = await this.untilTaken(
          (key) => this.call('POST', `/v1/applications/${id}/technical-report?${q}`, actor, { pdf: PDF, headers: { 'Idempotency-Key': key } }),
          async () => (await this.status(id, p.iin))?.status === 'AWAITING_REPORT',
          timeoutMs,
        );
        if (up.status !== 200 && up.status !== 409) return `upload answered ${up.status} ${reasonOf(up)}`;
      } else if (at !== 'AWAITING_REVIEW') return `not awaiting the report (${at ?? 'no status in time'})`;
      if ((await this.waitFor(id, p.iin, ['AWAITING_REVIEW', 'REGISTERED'], timeoutMs)) !== 'AWAITING_REVIEW') return 'no review due';
      const review = await this.untilTaken(
        (key) => this.call('POST', `/v1/applications/${id}/report-review`, OPERATOR, { json: { accepted: true }, headers: { 'Idempotency-Key': key } }),
        async () => (await this.status(id, p.iin))?.status === 'AWAITING_REVIEW',
        timeoutMs,
      );
      return review.status === 200 || review.status === 202 || review.status === 409 ? 'reviewed' : `review answered ${review.status} ${reasonOf(review)}`;
    }
    if (p.path === 'HEARING_POSITION') {
      if ((await this.waitFor(id, p.iin, ['HEARING_SCHEDULED'], timeoutMs)) !== 'HEARING_SCHEDULED') return 'no hearing in time';
      const pos = await this.untilTaken(
        (key) => this.call('POST', `/v1/applications/${id}/position`, actor, { json: { text: 'Үлес мұраға қалды / Доля получена по наследству' }, headers: { 'Idempotency-Key': key } }),
        async () => {
          const s = await this.status(id, p.iin);
          return s?.status === 'HEARING_SCHEDULED' && !s.positionStated;
        },
        timeoutMs,
      );
      if (pos.status === 200 || pos.status === 202) return 'position stated';
      // A retry after an answer lost in the fault may find the position already taken.
      if (pos.status === 409 && (await this.status(id, p.iin))?.positionStated) return 'position stated';
      return `position answered ${pos.status} ${reasonOf(pos)}`;
    }
    return 'nothing to do';
  }
}
