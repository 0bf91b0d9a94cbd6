/**
 * Complaints (R18, R19; SPEC §8) in the pages: a party files one about their case, signed with EDS
 * through NCALayer, and follows it (status, each due instant, the answer); the head decides the
 * complaints with the provider (satisfy fully, or forward), the review body the forwarded ones. The
 * server's complaint table (`allowedActions` of each complaint) says which form is offered.
 */
import { useEffect, useState } from 'preact/hooks';
import { allowed, call, fieldErrors, type Localized } from '../api';
import { Alert, Field, describedBy, errorText } from '../components';
import { formatInstant, pick, t, type Lang } from '../i18n';
import { signDocument } from '../session';

interface ComplaintView {
  complaintId: string;
  applicationId: string;
  subject: 'DECISION' | 'ACTION' | 'INACTION';
  text?: string;
  status: string;
  statusText: Localized;
  flags: string[];
  registeredAt: string;
  providerDecisionDueAt: string;
  forwardDueAt: string;
  reviewBodyDecisionDueAt?: string;
  provider?: { outcome: string; at: string; reasons: string | null };
  reviewBody?: { outcome: string; at: string; reasons: string | null };
  allowedActions: { action: string; allowed: boolean }[];
}

const SUBJECTS = [
  ['DECISION', 'subjectDecision'],
  ['ACTION', 'subjectAction'],
  ['INACTION', 'subjectInaction'],
] as const;

const OUTCOME_KEY: Record<string, 'satisfied' | 'partlySatisfied' | 'refusedComplaint' | 'forward'> = {
  SATISFIED: 'satisfied',
  PARTLY_SATISFIED: 'partlySatisfied',
  REFUSED: 'refusedComplaint',
  FORWARD: 'forward',
};

function ComplaintFacts({ c, lang }: { c: ComplaintView; lang: Lang }) {
  const answer = c.reviewBody ?? (c.provider?.outcome === 'SATISFIED' ? c.provider : undefined);
  return (
    <dl class="facts" data-testid="complaint">
      <dt>{t('status', lang)}</dt>
      <dd data-testid="complaint-status">{pick(c.statusText, lang)}</dd>
      <dt>{t('complaintRegisteredAt', lang)}</dt>
      <dd>{formatInstant(c.registeredAt, lang)}</dd>
      {c.reviewBodyDecisionDueAt ? (
        <>
          <dt>{t('complaintReviewDue', lang)}</dt>
          <dd>{formatInstant(c.reviewBodyDecisionDueAt, lang)}</dd>
        </>
      ) : c.status === 'WITH_PROVIDER' || c.status === 'RECEIVED' ? (
        <>
          <dt>{t('complaintHeadDue', lang)}</dt>
          <dd>{formatInstant(c.providerDecisionDueAt, lang)}</dd>
          <dt>{t('complaintForwardDue', lang)}</dt>
          <dd>{formatInstant(c.forwardDueAt, lang)}</dd>
        </>
      ) : null}
      {answer ? (
        <>
          <dt>{t('complaintAnswer', lang)}</dt>
          <dd data-testid="complaint-answer">
            {t(OUTCOME_KEY[answer.outcome] ?? 'satisfied', lang)}: {answer.reasons}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The case's complaints and, for its parties, the form to file one. */
export function CaseComplaints({ id, lang, party, onDone }: { id: string; lang: Lang; party: boolean; onDone: (message: string) => void }) {
  const [list, setList] = useState<ComplaintView[]>();
  const [version, setVersion] = useState(0);
  const [subject, setSubject] = useState<ComplaintView['subject']>('DECISION');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // One key per complaint being written: a retry after a lost answer is the same complaint.
  const [key, setKey] = useState(() => `web-${crypto.randomUUID()}`);
  useEffect(() => {
    call<{ complaints: ComplaintView[] }>('GET', `/v1/applications/${id}/complaints`)
      .then((r) => setList(r.complaints))
      .catch(() => setList([]));
  }, [id, version]);
  return (
    <section aria-labelledby="complaints-title">
      <h2 id="complaints-title">{t('complaints', lang)}</h2>
      {list === undefined ? <p aria-busy="true">{t('loading', lang)}</p> : list.length === 0 ? <p class="hint">{t('noComplaints', lang)}</p> : null}
      {(list ?? []).map((c) => (
        <ComplaintFacts key={c.complaintId} c={c} lang={lang} />
      ))}
      {party ? (
        <form
          aria-labelledby="complaint-form-title"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            setFieldError(undefined);
            try {
              const { signature } = await signDocument(`/v1/applications/${id}/sign-request`, { action: 'complaint', subject, text }, lang);
              await call('POST', `/v1/applications/${id}/complaints`, { body: { subject, text, signature }, headers: { 'Idempotency-Key': key } });
              setText('');
              setKey(`web-${crypto.randomUUID()}`);
              setVersion((v) => v + 1);
              onDone(t('complaintSent', lang));
            } catch (err) {
              setError(errorText(err, lang));
              setFieldError(fieldErrors(err).text?.[lang]);
            } finally {
              setBusy(false);
            }
          }}
        >
          <h3 id="complaint-form-title">{t('fileComplaint', lang)}</h3>
          <Alert text={error} />
          <Field id="f-complaint-subject" label={t('complaintSubject', lang)}>
            <select id="f-complaint-subject" value={subject} onChange={(e) => setSubject((e.target as HTMLSelectElement).value as ComplaintView['subject'])}>
              {SUBJECTS.map(([code, label]) => (
                <option key={code} value={code}>
                  {t(label, lang)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="f-complaint-text" label={t('complaintText', lang)} error={fieldError}>
            <textarea
              id="f-complaint-text"
              rows={5}
              value={text}
              onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
              aria-invalid={fieldError ? 'true' : undefined}
              aria-describedby={describedBy('f-complaint-text', false, !!fieldError)}
            />
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {t('signAndSend', lang)}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function DecideComplaint({ c, lang, purpose, onDone }: { c: ComplaintView; lang: Lang; purpose: string; onDone: () => void }) {
  const head = allowed(c, 'PROVIDER_DECISION');
  const outcomes = head ? (['SATISFIED', 'FORWARD'] as const) : (['SATISFIED', 'PARTLY_SATISFIED', 'REFUSED'] as const);
  const [outcome, setOutcome] = useState<string>(outcomes[outcomes.length - 1]);
  const [remedy, setRemedy] = useState('');
  const [reasons, setReasons] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const idp = c.complaintId.slice(0, 8);
  const path = head ? 'provider-decision' : 'review-body-decision';
  return (
    <form
      aria-label={`${t('decide', lang)} ${idp}`}
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setErrors({});
        try {
          await call('POST', `/v1/complaints/${c.complaintId}/${path}`, { body: { outcome, reasons, ...(remedy ? { remedy } : {}) }, purpose });
          onDone();
        } catch (err) {
          setError(errorText(err, lang));
          const f = fieldErrors(err);
          setErrors({ reasons: f.reasons?.[lang], remedy: f.remedy?.[lang] });
        } finally {
          setBusy(false);
        }
      }}
    >
      <Alert text={error} />
      <Field id={`f-outcome-${idp}`} label={t('outcome', lang)}>
        <select id={`f-outcome-${idp}`} value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
          {outcomes.map((o) => (
            <option key={o} value={o}>
              {t(o === 'SATISFIED' && head ? 'satisfyFully' : OUTCOME_KEY[o], lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`f-remedy-${idp}`} label={t('remedy', lang)} error={errors.remedy}>
        <select id={`f-remedy-${idp}`} value={remedy} onChange={(e) => setRemedy((e.target as HTMLSelectElement).value)} aria-describedby={describedBy(`f-remedy-${idp}`, false, !!errors.remedy)}>
          <option value="">{t('remedyNone', lang)}</option>
          <option value="REGISTER">{t('remedyRegister', lang)}</option>
          <option value="ACTION_TAKEN">{t('remedyActionTaken', lang)}</option>
        </select>
      </Field>
      <Field id={`f-reasons-${idp}`} label={t('reasons', lang)} error={errors.reasons}>
        <textarea
          id={`f-reasons-${idp}`}
          rows={3}
          value={reasons}
          onInput={(e) => setReasons((e.target as HTMLTextAreaElement).value)}
          aria-invalid={errors.reasons ? 'true' : undefined}
          aria-describedby={describedBy(`f-reasons-${idp}`, false, !!errors.reasons)}
        />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {t('decide', lang)}
      </button>
    </form>
  );
}

/** The head's (with the provider) or the review body's (forwarded) complaints, nearest term first. */
export function StaffComplaints({ lang, role, purpose }: { lang: Lang; role: string; purpose: string }) {
  const status = role === 'head' ? 'WITH_PROVIDER' : 'FORWARDED';
  const [items, setItems] = useState<ComplaintView[]>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState(false);
  useEffect(() => {
    call<{ items: ComplaintView[] }>('GET', `/v1/complaints?status=${status}`, { purpose })
      .then((r) => setItems(r.items))
      .catch(setError);
  }, [status, version]);
  return (
    <section aria-labelledby="sc-title">
      <h2 id="sc-title">{t('complaintsToDecide', lang)}</h2>
      {done ? <Alert kind="ok" text={t('done', lang)} /> : null}
      {error ? <Alert text={errorText(error, lang)} /> : null}
      {items === undefined && !error ? <p aria-busy="true">{t('loading', lang)}</p> : null}
      {items?.length === 0 ? <p class="hint">{t('noComplaints', lang)}</p> : null}
      {(items ?? []).map((c) => (
        <article key={c.complaintId} aria-label={`${t('complaints', lang)} ${c.complaintId.slice(0, 8)}`} class="card">
          <ComplaintFacts c={c} lang={lang} />
          {c.allowedActions.some((a) => a.allowed) ? (
            <DecideComplaint
              c={c}
              lang={lang}
              purpose={purpose}
              onDone={() => {
                setDone(true);
                setVersion((v) => v + 1);
              }}
            />
          ) : null}
        </article>
      ))}
    </section>
  );
}
