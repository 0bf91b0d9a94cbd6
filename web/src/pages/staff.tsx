/**
 * The staff console: the worklist (GET /v1/staff/worklist, overdue first), a case with its facts,
 * and the actions the procedure table allows this role now (`allowedActions`): the operator
 * accepts or rejects the technical report with a reason (R13, A1.8.2, R15.6) beside the report's
 * PDF; the officer records the hearing outcome (R17), signed with the SIGN key; the officer signs a
 * final refusal after a hearing without a position (R17). Every read states its purpose (api/audit.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, allowed, call, fieldErrors, type ApplicationView, type SessionView } from '../api';
import { Alert, Field, describedBy, errorText } from '../components';
import { formatInstant, t, type Lang } from '../i18n';
import { localityLabel } from '../reference';
import { linkHandler, navigate } from '../router';
import { signDocument } from '../session';
import { CaseFacts, TimelineList } from './case';
import { StaffComplaints } from './complaints';
import { CASE_STATUSES, FLAG_TEXT, STATUS_TEXT, type CaseFlag, type CaseStatus } from '../../../domain/procedure/statuses';
import { localityOptions } from '../reference';
import { pick } from '../i18n';
// The role names of the policy file (security/policy/policy.json), the one place they are written.
import { roles as ROLE_TITLES } from '../../../security/policy/policy.json';

interface WorkItem {
  applicationId: string;
  kato: string;
  status: string;
  flags: string[];
  dueAt: string;
  overdue: boolean;
}

const purposeOf = (lang: Lang): string => t('purposeOfReading', lang);

export function StaffWorklist({ lang, session }: { lang: Lang; session: SessionView }) {
  const [items, setItems] = useState<WorkItem[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [kato, setKato] = useState('');
  const [status, setStatus] = useState('');
  const [caseId, setCaseId] = useState('');
  const [idError, setIdError] = useState<string>();
  // Overdue first, then the nearest due instant (the server sorts so too; a page is kept in that order).
  const order = (list: WorkItem[]): WorkItem[] => [...list].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt));
  async function load(after?: string): Promise<void> {
    const q = new URLSearchParams({ ...(kato ? { kato } : {}), ...(status ? { status } : {}), ...(after ? { cursor: after } : {}) });
    try {
      const r = await call<{ items: WorkItem[]; nextCursor?: string | null }>('GET', `/v1/staff/worklist?${q}`, { purpose: purposeOf(lang) });
      setItems((cur) => order([...(after ? (cur ?? []) : []), ...r.items]));
      setCursor(r.nextCursor ?? null);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }
  useEffect(() => {
    setItems(undefined);
    void load();
  }, [kato, status]);
  const complaintsRole = session.role === 'head' || session.role === 'complaint-review';
  const statusName = (st: string): string => (STATUS_TEXT[st as CaseStatus] ? pick(STATUS_TEXT[st as CaseStatus].name, lang) : st);
  return (
    <section aria-labelledby="wl-title">
      <h1 id="wl-title">
        {t('worklist', lang)} <span class="hint">({pick((ROLE_TITLES as Record<string, { title: { kk: string; ru: string } }>)[session.role]?.title, lang) || session.role})</span>
      </h1>
      {complaintsRole ? <StaffComplaints lang={lang} role={session.role} purpose={purposeOf(lang)} /> : null}
      <form
        class="inline"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const id = caseId.trim().toLowerCase();
          if (!/^[0-9a-f-]{36}$/.test(id)) {
            setIdError(t('caseNumber', lang));
            return;
          }
          navigate(`/staff/case/${id}`);
        }}
      >
        <Field id="f-case-id" label={t('openCase', lang)} error={idError}>
          <input id="f-case-id" value={caseId} onInput={(e) => setCaseId((e.target as HTMLInputElement).value)} aria-describedby={describedBy('f-case-id', false, !!idError)} />
        </Field>
        <button type="submit">{t('open', lang)}</button>
      </form>
      <div class="filters">
        <Field id="f-wl-kato" label={t('locality', lang)}>
          <select id="f-wl-kato" value={kato} onChange={(e) => setKato((e.target as HTMLSelectElement).value)}>
            <option value="">—</option>
            {localityOptions(lang).map((o) => (
              <option key={o.code} value={o.code}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-wl-status" label={t('status', lang)}>
          <select id="f-wl-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">—</option>
            {CASE_STATUSES.map((st) => (
              <option key={st} value={st}>
                {statusName(st)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {error ? (
        <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.routeMissing ? 'info' : 'error'} />
      ) : items === undefined ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : items.length === 0 ? (
        <p>{t('noCases', lang)}</p>
      ) : (
        <>
          <table class="list">
            <caption class="visually-hidden">{t('worklist', lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('caseNumber', lang)}</th>
                <th scope="col">{t('locality', lang)}</th>
                <th scope="col">{t('status', lang)}</th>
                <th scope="col">{t('dueAt', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.applicationId} class={i.overdue ? 'overdue' : undefined}>
                  <td>
                    <a href={`/staff/case/${i.applicationId}`} onClick={linkHandler(`/staff/case/${i.applicationId}`)} class="mono">
                      {i.applicationId.slice(0, 8)}
                    </a>
                  </td>
                  <td>{localityLabel(i.kato, lang)}</td>
                  <td>
                    {statusName(i.status)}
                    {i.flags
                      .filter((f) => FLAG_TEXT[f as CaseFlag])
                      .map((f) => (
                        <span key={f} class="hint">
                          {' '}
                          · {pick(FLAG_TEXT[f as CaseFlag], lang)}
                        </span>
                      ))}
                  </td>
                  <td>
                    {formatInstant(i.dueAt, lang)}
                    {i.overdue ? <strong class="badge"> {t('overdue', lang)}</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor ? (
            <button type="button" onClick={() => void load(cursor)}>
              {t('next', lang)}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

function ReportPdf({ id, lang }: { id: string; lang: Lang }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  return (
    <div class="report">
      {url ? (
        <a href={url} target="_blank" rel="noopener">
          {t('reportPdf', lang)}
        </a>
      ) : (
        <button
          type="button"
          onClick={async () => {
            try {
              const res = await fetch(`/v1/applications/${id}/technical-report`, {
                headers: { 'X-HPC-Purpose': encodeURIComponent(purposeOf(lang)), accept: 'application/pdf' },
                credentials: 'same-origin',
              });
              if (!res.ok) throw new ApiFailure(res.status, res.status === 404 ? 'ROUTE_NOT_FOUND' : `HTTP_${res.status}`, { kk: t('notAvailable', 'kk'), ru: t('notAvailable', 'ru') });
              setUrl(URL.createObjectURL(await res.blob()));
            } catch (err) {
              setError(errorText(err, lang));
            }
          }}
        >
          {t('reportPdf', lang)}
        </button>
      )}
      <Alert kind="info" text={error} />
    </div>
  );
}

function ReviewReport({ id, lang, onDone }: { id: string; lang: Lang; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function send(accepted: boolean): Promise<void> {
    setBusy(true);
    setError(undefined);
    setFieldError(undefined);
    try {
      await call('POST', `/v1/applications/${id}/report-review`, {
        body: { accepted, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        purpose: purposeOf(lang),
      });
      onDone();
    } catch (err) {
      setError(errorText(err, lang));
      setFieldError(fieldErrors(err).reason?.[lang]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="review-title" class="action">
      <h2 id="review-title">{t('reviewReport', lang)}</h2>
      <ReportPdf id={id} lang={lang} />
      <Alert text={error} />
      <Field id="f-reason" label={t('reason', lang)} error={fieldError}>
        <textarea id="f-reason" rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} aria-invalid={fieldError ? 'true' : undefined} aria-describedby={describedBy('f-reason', false, !!fieldError)} />
      </Field>
      <div class="buttons">
        <button type="button" class="primary" disabled={busy} onClick={() => void send(true)}>
          {t('accept', lang)}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void send(false)}>
          {t('reject', lang)}
        </button>
      </div>
    </section>
  );
}

function HearingOutcome({ id, lang, onDone }: { id: string; lang: Lang; onDone: () => void }) {
  const [outcome, setOutcome] = useState<'REGISTER' | 'REFUSE'>('REGISTER');
  const [reasoning, setReasoning] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-labelledby="outcome-title"
      class="action"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setFieldError(undefined);
        try {
          const form = { outcome, reasoning: reasoning.trim() };
          const { signature, decidedAt } = await signDocument(`/v1/applications/${id}/sign-request`, { action: 'hearing-outcome', ...form }, lang, {
            'X-HPC-Purpose': encodeURIComponent(purposeOf(lang)),
          });
          await call('POST', `/v1/applications/${id}/hearing-outcome`, { body: { ...form, decidedAt, signature }, purpose: purposeOf(lang) });
          onDone();
        } catch (err) {
          setError(errorText(err, lang));
          setFieldError(fieldErrors(err).reasoning?.[lang]);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="outcome-title">{t('hearingOutcome', lang)}</h2>
      <Alert text={error} />
      <fieldset>
        <legend>{t('hearingOutcome', lang)}</legend>
        {(['REGISTER', 'REFUSE'] as const).map((o) => (
          <label key={o} class="choice">
            <input type="radio" name="outcome" checked={outcome === o} onChange={() => setOutcome(o)} />
            {o === 'REGISTER' ? t('outcomeRegister', lang) : t('outcomeRefuse', lang)}
          </label>
        ))}
      </fieldset>
      <Field id="f-reasoning" label={t('reasoning', lang)} error={fieldError}>
        <textarea id="f-reasoning" rows={4} value={reasoning} onInput={(e) => setReasoning((e.target as HTMLTextAreaElement).value)} aria-invalid={fieldError ? 'true' : undefined} aria-describedby={describedBy('f-reasoning', false, !!fieldError)} />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {t('signAndSend', lang)}
      </button>
    </form>
  );
}

/** R17: the authorised officer signs the refusal when no position came before the hearing. */
function FinalRefusal({ id, lang, onDone }: { id: string; lang: Lang; onDone: () => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="final-title" class="action">
      <h2 id="final-title">{t('finalRefusal', lang)}</h2>
      <p>{t('finalRefusalNote', lang)}</p>
      <Alert text={error} />
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const purpose = { 'X-HPC-Purpose': encodeURIComponent(purposeOf(lang)) };
            const { signature, decidedAt } = await signDocument(`/v1/applications/${id}/sign-request`, { action: 'final-refusal' }, lang, purpose);
            await call('POST', `/v1/applications/${id}/final-refusal`, { body: { decidedAt, signature }, purpose: purposeOf(lang) });
            onDone();
          } catch (err) {
            setError(errorText(err, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('signAndSend', lang)}
      </button>
    </section>
  );
}

export function StaffCase({ id, lang }: { id: string; lang: Lang; session: SessionView }) {
  const [view, setView] = useState<ApplicationView>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    call<ApplicationView>('GET', `/v1/applications/${id}`, { purpose: purposeOf(lang) })
      .then(setView)
      .catch(setError);
  }, [id, version]);
  const reload = (): void => {
    setDone(true);
    setVersion((v) => v + 1);
  };
  if (error) return <Alert text={errorText(error, lang)} />;
  if (!view) return <p aria-busy="true">{t('loading', lang)}</p>;
  const any = ['REVIEW_REPORT', 'RECORD_HEARING_OUTCOME', 'SIGN_FINAL_REFUSAL'].some((a) => allowed(view, a));
  return (
    <article aria-labelledby="scase-title">
      <p>
        <a href="/staff/" onClick={linkHandler('/staff/')}>
          ← {t('worklist', lang)}
        </a>
      </p>
      <h1 id="scase-title">
        {t('application', lang)} <span class="mono">{id.slice(0, 8)}</span>
      </h1>
      {done ? <Alert kind="ok" text={t('done', lang)} /> : null}
      <CaseFacts view={view} lang={lang} />
      {allowed(view, 'REVIEW_REPORT') ? <ReviewReport id={id} lang={lang} onDone={reload} /> : null}
      {allowed(view, 'RECORD_HEARING_OUTCOME') ? <HearingOutcome id={id} lang={lang} onDone={reload} /> : null}
      {allowed(view, 'SIGN_FINAL_REFUSAL') ? <FinalRefusal id={id} lang={lang} onDone={reload} /> : null}
      {!any ? <p class="hint">{t('noActions', lang)}</p> : null}
      <TimelineList id={id} lang={lang} purpose={purposeOf(lang)} key={`t${version}`} />
    </article>
  );
}
