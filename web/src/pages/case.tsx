/**
 * A case as its applicant sees it: the status in plain words and what happens next (the API's
 * statusText), the decision's due instant, the grounds of a refusal, the queue position, the
 * timeline and the notices; and the actions the procedure table allows now (`allowedActions`):
 * stating a position in the hearing period (R17, signed), uploading the technical report (R7.2).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, allowed, call, fieldErrors, type ApplicationView, type Localized } from '../api';
import { Alert, Field, describedBy, errorText } from '../components';
import { EVENT_NAMES } from '../../../domain/messages/ui';
import { CONSENT_TITLES } from '../../../domain/messages/consents';
import { FLAG_TEXT, type CaseFlag } from '../../../domain/procedure/statuses';
import { formatInstant, pick, t, type Lang } from '../i18n';
import { categoryName, localityLabel } from '../reference';
import { signDocument } from '../session';
import { linkHandler } from '../router';
import { CaseComplaints } from './complaints';

interface Timeline {
  entries: { at: string; kind: string; actor?: string }[];
}
interface QueuePosition {
  registrationNumber: string;
  position: number;
  kato: string;
  categoryPositions: Record<string, number>;
  registeredAt: string;
}
interface Notice {
  noticeId: string;
  applicationId: string;
  kind: string;
  at: string;
  text: Localized;
}

export function CaseFacts({ view, lang }: { view: ApplicationView; lang: Lang }) {
  return (
    <>
      <dl class="facts">
        <dt>{t('status', lang)}</dt>
        <dd class="status" data-status={view.status}>
          {pick(view.statusText.name, lang)}
        </dd>
        {view.flags.filter((f) => FLAG_TEXT[f as CaseFlag]).length > 0 ? (
          <>
            <dt>{t('flags', lang)}</dt>
            <dd>
              {view.flags
                .filter((f) => FLAG_TEXT[f as CaseFlag])
                .map((f) => pick(FLAG_TEXT[f as CaseFlag], lang))
                .join('; ')}
            </dd>
          </>
        ) : null}
        <dt>{t('whatNext', lang)}</dt>
        <dd>{pick(view.statusText.next, lang)}</dd>
        <dt>{t('locality', lang)}</dt>
        <dd>{localityLabel(view.kato, lang)}</dd>
        <dt>{t('basis', lang)}</dt>
        <dd>{view.path === 'EMERGENCY' ? t('pathEmergency', lang) : t('pathNoHousing', lang)}</dd>
        <dt>{t('receivedAt', lang)}</dt>
        <dd>{formatInstant(view.receivedAt, lang)}</dd>
        <dt>{t('decisionDueAt', lang)}</dt>
        <dd>
          <time dateTime={view.decisionDueAt}>{formatInstant(view.decisionDueAt, lang)}</time> <span class="hint">({t('almatyTime', lang)})</span>
        </dd>
        {view.declaredCategories.length > 0 ? (
          <>
            <dt>{t('categories', lang)}</dt>
            <dd>{view.declaredCategories.map((c) => categoryName(c, lang)).join('; ')}</dd>
          </>
        ) : null}
      </dl>
      {view.grounds.length > 0 ? (
        <section aria-labelledby="grounds-title">
          <h2 id="grounds-title">{t('grounds', lang)}</h2>
          <ul>
            {view.grounds.map((g) => (
              <li key={g.id}>
                {pick(g.reason, lang)}
                {g.rule ? ` (${g.rule})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function TimelineList({ id, lang, purpose }: { id: string; lang: Lang; purpose?: string }) {
  const [timeline, setTimeline] = useState<Timeline>();
  useEffect(() => {
    call<Timeline>('GET', `/v1/applications/${id}/timeline`, { purpose })
      .then(setTimeline)
      .catch(() => setTimeline({ entries: [] }));
  }, [id]);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline', lang)}</h2>
      {timeline ? (
        <ol class="timeline">
          {timeline.entries.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatInstant(e.at, lang)}</time> — {EVENT_NAMES[e.kind] ? pick(EVENT_NAMES[e.kind], lang) : e.kind}
            </li>
          ))}
        </ol>
      ) : (
        <p aria-busy="true">{t('loading', lang)}</p>
      )}
    </section>
  );
}

function Notices({ id, lang }: { id: string; lang: Lang }) {
  const [notices, setNotices] = useState<Notice[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    call<{ items: Notice[] }>('GET', '/v1/cabinet/notices')
      .then((r) => setNotices(r.items.filter((n) => n.applicationId === id)))
      .catch(setError);
  }, [id]);
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t('notices', lang)}</h2>
      {error ? (
        <Alert kind="info" text={errorText(error, lang)} />
      ) : notices === undefined ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : notices.length === 0 ? (
        <p>{t('noNotices', lang)}</p>
      ) : (
        <ul class="notices">
          {notices.map((n) => (
            <li key={n.noticeId}>
              <time dateTime={n.at}>{formatInstant(n.at, lang)}</time>
              <p>{pick(n.text, lang)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PositionForm({ id, lang, onDone }: { id: string; lang: Lang; onDone: (message: string) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-labelledby="position-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setFieldError(undefined);
        try {
          const { signature } = await signDocument(`/v1/applications/${id}/sign-request`, { action: 'position', text }, lang);
          await call('POST', `/v1/applications/${id}/position`, { body: { text, signature } });
          onDone(t('positionSent', lang));
        } catch (err) {
          setError(errorText(err, lang));
          setFieldError(fieldErrors(err).text?.[lang]);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="position-title">{t('statePosition', lang)}</h2>
      <Alert text={error} />
      <Field id="f-position" label={t('positionText', lang)} error={fieldError}>
        <textarea
          id="f-position"
          rows={6}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          aria-invalid={fieldError ? 'true' : undefined}
          aria-describedby={describedBy('f-position', false, !!fieldError)}
        />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {t('signAndSend', lang)}
      </button>
    </form>
  );
}

interface ConsentsView {
  consents: { code: 'C1' | 'C2' | 'C3' | 'C4'; status: 'GIVEN' | 'WITHDRAWN' | 'NOT_GIVEN' }[];
}

/** R17, A1.9.4: a consent not given (or withdrawn) may be given in the hearing period, signed. */
function GiveConsents({ id, lang, onDone }: { id: string; lang: Lang; onDone: (message: string) => void }) {
  const [open, setOpen] = useState<ConsentsView['consents']>();
  const [codes, setCodes] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call<ConsentsView>('GET', `/v1/applications/${id}/consents`)
      .then((v) => setOpen(v.consents.filter((c) => c.status !== 'GIVEN')))
      .catch(() => setOpen([]));
  }, [id]);
  return (
    <form
      aria-labelledby="consent-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (codes.length === 0) {
          setError(t('chooseConsent', lang));
          return;
        }
        setBusy(true);
        setError(undefined);
        try {
          const { signature } = await signDocument(`/v1/applications/${id}/sign-request`, { action: 'consents', codes }, lang);
          await call('POST', `/v1/applications/${id}/consents`, { body: { codes, signature } });
          onDone(t('consentsGiven', lang));
        } catch (err) {
          setError(errorText(err, lang));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="consent-title">{t('giveConsents', lang)}</h2>
      <Alert text={error} />
      {open === undefined ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : open.length === 0 ? (
        <p>{t('noConsentsToGive', lang)}</p>
      ) : (
        <>
          <fieldset>
            <legend>{t('consents', lang)}</legend>
            {open.map((c) => (
              <label key={c.code} class="choice">
                <input
                  type="checkbox"
                  checked={codes.includes(c.code)}
                  onChange={(ev) => {
                    const on = (ev.target as HTMLInputElement).checked;
                    setCodes((cur) => (on ? [...cur, c.code] : cur.filter((x) => x !== c.code)));
                  }}
                />
                {pick(CONSENT_TITLES[c.code], lang)}
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary" disabled={busy}>
            {t('signAndSend', lang)}
          </button>
        </>
      )}
    </form>
  );
}

/** R17, R9: the person asks for the registries to be asked again (e.g. after mending a record). */
function RequestRecheck({ id, lang, onDone }: { id: string; lang: Lang; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-labelledby="recheck-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setFieldError(undefined);
        try {
          await call('POST', `/v1/applications/${id}/recheck`, { body: reason.trim() ? { reason: reason.trim() } : {} });
          onDone(t('recheckRequested', lang));
        } catch (err) {
          setError(errorText(err, lang));
          setFieldError(fieldErrors(err).reason?.[lang]);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="recheck-title">{t('requestRecheck', lang)}</h2>
      <Alert text={error} />
      <Field id="f-recheck" label={t('recheckReason', lang)} error={fieldError}>
        <textarea id="f-recheck" rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} aria-invalid={fieldError ? 'true' : undefined} aria-describedby={describedBy('f-recheck', false, !!fieldError)} />
      </Field>
      <button type="submit" disabled={busy}>
        {t('send', lang)}
      </button>
    </form>
  );
}

function ReportUpload({ view, lang, onDone }: { view: ApplicationView; lang: Lang; onDone: (message: string) => void }) {
  const id = view.applicationId;
  const [reportNumber, setReportNumber] = useState('');
  const [propertyId, setPropertyId] = useState(view.emergencyPropertyId ?? '');
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-labelledby="report-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file) {
          setErrors({ file: t('pdfRequired', lang) });
          setError(t('fixErrors', lang));
          return;
        }
        setBusy(true);
        setError(undefined);
        setErrors({});
        try {
          const q = new URLSearchParams({ reportNumber: reportNumber.trim(), propertyId: propertyId.trim() });
          await call('POST', `/v1/applications/${id}/technical-report?${q}`, { raw: file, contentType: 'application/pdf' });
          onDone(t('uploaded', lang));
        } catch (err) {
          setError(errorText(err, lang));
          const byField: Record<string, string> = {};
          for (const [f, text] of Object.entries(fieldErrors(err))) byField[f.replace(/^query\./, '')] = text[lang];
          setErrors(byField);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="report-title">{t('uploadReport', lang)}</h2>
      <Alert text={error} />
      <Field id="f-reportNumber" label={t('reportNumber', lang)} error={errors.reportNumber}>
        <input id="f-reportNumber" value={reportNumber} onInput={(e) => setReportNumber((e.target as HTMLInputElement).value)} aria-invalid={errors.reportNumber ? 'true' : undefined} aria-describedby={describedBy('f-reportNumber', false, !!errors.reportNumber)} />
      </Field>
      <Field id="f-propertyId" label={t('emergencyPropertyId', lang)} error={errors.propertyId}>
        <input id="f-propertyId" value={propertyId} onInput={(e) => setPropertyId((e.target as HTMLInputElement).value)} aria-invalid={errors.propertyId ? 'true' : undefined} aria-describedby={describedBy('f-propertyId', false, !!errors.propertyId)} />
      </Field>
      <Field id="f-file" label={t('reportFile', lang)} error={errors.file}>
        <input id="f-file" type="file" accept="application/pdf,.pdf" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} aria-invalid={errors.file ? 'true' : undefined} aria-describedby={describedBy('f-file', false, !!errors.file)} />
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {t('upload', lang)}
      </button>
    </form>
  );
}

export function CasePage({ id, lang }: { id: string; lang: Lang }) {
  const [view, setView] = useState<ApplicationView>();
  const [queue, setQueue] = useState<QueuePosition>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  // A form's success stays on the page: the form itself may go when the case moves on.
  const [notice, setNotice] = useState<string>();
  const reload = (message: string): void => {
    setNotice(message);
    setVersion((v) => v + 1);
  };
  useEffect(() => {
    call<ApplicationView>('GET', `/v1/applications/${id}`)
      .then((v) => {
        setView(v);
        if (v.status === 'REGISTERED' || v.queue) {
          call<QueuePosition>('GET', `/v1/applications/${id}/queue-position`)
            .then(setQueue)
            .catch(() => setQueue(undefined));
        }
      })
      .catch(setError);
  }, [id, version]);
  if (error) return <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.status === 404 ? 'info' : 'error'} />;
  if (!view) return <p aria-busy="true">{t('loading', lang)}</p>;
  return (
    <article aria-labelledby="case-title">
      <h1 id="case-title">
        {t('application', lang)} <span class="mono">{id.slice(0, 8)}</span>
      </h1>
      <Alert kind="ok" text={notice} />
      <CaseFacts view={view} lang={lang} />
      {queue ? (
        <section aria-labelledby="queue-title" class="queue-box">
          <h2 id="queue-title">{t('queuePosition', lang)}</h2>
          <dl class="facts">
            <dt>{t('position', lang)}</dt>
            <dd data-testid="queue-position">{queue.position}</dd>
            <dt>{t('registrationNumber', lang)}</dt>
            <dd class="mono">{queue.registrationNumber}</dd>
            <dt>{t('locality', lang)}</dt>
            <dd>
              <a href={`/queue/${queue.kato}?lang=${lang}`}>{localityLabel(queue.kato, lang)}</a>
            </dd>
            {Object.entries(queue.categoryPositions).map(([c, p]) => (
              <>
                <dt>{categoryName(c, lang)}</dt>
                <dd>{p}</dd>
              </>
            ))}
          </dl>
          <p class="queue-links">
            <a href={`/case/${id}/queue-history`} onClick={linkHandler(`/case/${id}/queue-history`)}>
              {t('queueHistoryTitle', lang)}
            </a>
            <a href={`/case/${id}/queue-check`} onClick={linkHandler(`/case/${id}/queue-check`)}>
              {t('queueCheckTitle', lang)}
            </a>
          </p>
        </section>
      ) : null}
      {allowed(view, 'STATE_POSITION') ? <PositionForm id={id} lang={lang} onDone={reload} /> : null}
      {allowed(view, 'GIVE_CONSENT') ? <GiveConsents id={id} lang={lang} onDone={reload} /> : null}
      {allowed(view, 'REQUEST_RECHECK') ? <RequestRecheck id={id} lang={lang} onDone={reload} /> : null}
      {allowed(view, 'UPLOAD_REPORT') ? <ReportUpload view={view} lang={lang} onDone={reload} /> : null}
      {view.status !== 'RECEIVED' ? <CaseComplaints id={id} lang={lang} party onDone={reload} key={`c${version}`} /> : null}
      <TimelineList id={id} lang={lang} key={`t${version}`} />
      <Notices id={id} lang={lang} />
    </article>
  );
}
