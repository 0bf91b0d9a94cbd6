/**
 * The application (Appendix 2): the person as the registries know them (GET
 * /v1/applications/prefill), the locality chosen by name (KATO), the basis (R7.1/R7.2), categories
 * (R8), contacts, and the four consents of block C with their texts (R12); signed with the SIGN
 * key through NCALayer. A failed submit keeps every answer and shows the API's error beside its field.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CONSENT_TITLES } from '../../../domain/messages/consents';
import { call, fieldErrors, type SessionView } from '../api';
import { Alert, Field, describedBy, errorText } from '../components';
import { formatDate, pick, t, type Lang } from '../i18n';
import { CATEGORIES, localityCodeOf, localityLabel, localityOptions } from '../reference';
import { navigate } from '../router';
import { signDocument } from '../session';

interface Prefill {
  person: {
    iin: string;
    surname: string;
    name: string;
    patronymic?: string;
    birthDate?: string;
    identityDocument?: { number: string; issuedAt?: string };
    address?: { kato?: string; text?: string };
  };
}

const CONSENTS = ['C1', 'C2', 'C3', 'C4'] as const;

function newKey(): string {
  return `web-${crypto.randomUUID()}`;
}

export function ApplyPage({ lang, session }: { lang: Lang; session: SessionView }) {
  const [prefill, setPrefill] = useState<Prefill | 'unavailable'>();
  // A legal representative (R11) files for the person they represent: that person's IIN.
  const representing = session.role === 'representative';
  const [applicantIin, setApplicantIin] = useState('');
  const [locality, setLocality] = useState('');
  const [path, setPath] = useState<'NO_HOUSING' | 'EMERGENCY'>('NO_HOUSING');
  const [propertyId, setPropertyId] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [mobile, setMobile] = useState('');
  const [email, setEmail] = useState('');
  const [consents, setConsents] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // One key for this form: a retry after a failure files the same application, never a second one.
  const [idempotencyKey] = useState(newKey);
  const options = useMemo(() => localityOptions(lang), [lang]);

  useEffect(() => {
    if (representing) {
      setPrefill('unavailable');
      return;
    }
    call<Prefill>('GET', '/v1/applications/prefill')
      .then((p) => {
        setPrefill(p);
        const kato = p.person.address?.kato;
        if (kato) setLocality((cur) => cur || localityLabel(kato, lang));
      })
      .catch(() => setPrefill('unavailable'));
  }, []);

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const kato = localityCodeOf(locality, lang);
    if (!kato) {
      setErrors({ kato: t('localityRequired', lang) });
      setFormError(t('fixErrors', lang));
      document.getElementById('f-kato')?.focus();
      return;
    }
    const body = {
      ...(representing ? { applicantIin: applicantIin.trim(), representativeIin: session.id } : { applicantIin: session.id }),
      path,
      kato,
      ...(path === 'EMERGENCY' ? { emergencyPropertyId: propertyId.trim() } : {}),
      categories,
      contact: { ...(mobile.trim() ? { mobile: mobile.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) },
      consents,
    };
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    try {
      const headers = { 'Idempotency-Key': idempotencyKey };
      const { signature } = await signDocument('/v1/applications/sign-request', body, lang, headers);
      const created = await call<{ applicationId: string }>('POST', '/v1/applications', { body: { ...body, signature }, headers });
      navigate(`/case/${created.applicationId}`);
    } catch (err) {
      const byField: Record<string, string> = {};
      for (const [f, text] of Object.entries(fieldErrors(err))) byField[f.replace(/\.\d+$/, '')] = text[lang];
      setErrors(byField);
      setFormError(errorText(err, lang));
      const first = Object.keys(byField)[0];
      if (first) document.getElementById(`f-${first.replace('.', '-')}`)?.focus();
    } finally {
      setBusy(false);
    }
  }

  const person = prefill && prefill !== 'unavailable' ? prefill.person : undefined;
  const err = (f: string): string | undefined => errors[f];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="apply-title">
      <h1 id="apply-title">{t('applyTitle', lang)}</h1>
      <Alert text={formError} />
      <fieldset>
        <legend>{t('applicant', lang)}</legend>
        {person ? (
          <>
            <p class="hint">{t('prefillNote', lang)}</p>
            <dl class="facts">
              <dt>{t('iin', lang)}</dt>
              <dd>{person.iin}</dd>
              <dt>{t('fullName', lang)}</dt>
              <dd>{[person.surname, person.name, person.patronymic].filter(Boolean).join(' ')}</dd>
              {person.birthDate ? (
                <>
                  <dt>{t('birthDate', lang)}</dt>
                  <dd>{formatDate(person.birthDate, lang)}</dd>
                </>
              ) : null}
              {person.identityDocument ? (
                <>
                  <dt>{t('identityDocument', lang)}</dt>
                  <dd>{person.identityDocument.number}</dd>
                </>
              ) : null}
              {person.address?.text ? (
                <>
                  <dt>{t('address', lang)}</dt>
                  <dd>{person.address.text}</dd>
                </>
              ) : null}
            </dl>
          </>
        ) : representing ? (
          <Field id="f-applicantIin" label={t('representedIin', lang)} error={err('applicantIin')}>
            <input
              id="f-applicantIin"
              inputMode="numeric"
              autocomplete="off"
              value={applicantIin}
              onInput={(e) => setApplicantIin((e.target as HTMLInputElement).value)}
              aria-invalid={err('applicantIin') ? 'true' : undefined}
              aria-describedby={describedBy('f-applicantIin', false, !!err('applicantIin'))}
            />
          </Field>
        ) : (
          <dl class="facts">
            <dt>{t('iin', lang)}</dt>
            <dd>{session.id}</dd>
          </dl>
        )}
      </fieldset>

      <Field id="f-kato" label={t('locality', lang)} hint={t('localityHint', lang)} error={err('kato')}>
        <input
          id="f-kato"
          list="kato-list"
          autocomplete="off"
          value={locality}
          onInput={(e) => setLocality((e.target as HTMLInputElement).value)}
          aria-invalid={err('kato') ? 'true' : undefined}
          aria-describedby={describedBy('f-kato', true, !!err('kato'))}
          required
        />
        <datalist id="kato-list">
          {options.map((o) => (
            <option key={o.code} value={o.label} />
          ))}
        </datalist>
      </Field>

      <fieldset>
        <legend>{t('basis', lang)}</legend>
        {(['NO_HOUSING', 'EMERGENCY'] as const).map((p) => (
          <label key={p} class="choice">
            <input type="radio" name="path" value={p} checked={path === p} onChange={() => setPath(p)} />
            {p === 'NO_HOUSING' ? t('pathNoHousing', lang) : t('pathEmergency', lang)}
          </label>
        ))}
      </fieldset>
      {path === 'EMERGENCY' ? (
        <Field id="f-emergencyPropertyId" label={t('emergencyPropertyId', lang)} error={err('emergencyPropertyId')}>
          <input
            id="f-emergencyPropertyId"
            value={propertyId}
            onInput={(e) => setPropertyId((e.target as HTMLInputElement).value)}
            aria-invalid={err('emergencyPropertyId') ? 'true' : undefined}
            aria-describedby={describedBy('f-emergencyPropertyId', false, !!err('emergencyPropertyId'))}
          />
        </Field>
      ) : null}

      <fieldset aria-describedby={err('categories') ? 'f-categories-error' : undefined}>
        <legend>{t('categories', lang)}</legend>
        {CATEGORIES.map((c) => (
          <label key={c.code} class="choice">
            <input
              type="checkbox"
              value={c.code}
              checked={categories.includes(c.code)}
              onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                setCategories((cur) => (on ? [...cur, c.code] : cur.filter((x) => x !== c.code)));
              }}
            />
            {pick(c.name, lang)}
          </label>
        ))}
        {err('categories') ? (
          <span class="error" id="f-categories-error">
            {err('categories')}
          </span>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>{t('contact', lang)}</legend>
        <Field id="f-contact-mobile" label={t('mobile', lang)} error={err('contact.mobile')}>
          <input
            id="f-contact-mobile"
            type="tel"
            autocomplete="tel"
            value={mobile}
            onInput={(e) => setMobile((e.target as HTMLInputElement).value)}
            aria-invalid={err('contact.mobile') ? 'true' : undefined}
            aria-describedby={describedBy('f-contact-mobile', false, !!err('contact.mobile'))}
          />
        </Field>
        <Field id="f-contact-email" label={t('email', lang)} error={err('contact.email')}>
          <input
            id="f-contact-email"
            type="email"
            autocomplete="email"
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
            aria-invalid={err('contact.email') ? 'true' : undefined}
            aria-describedby={describedBy('f-contact-email', false, !!err('contact.email'))}
          />
        </Field>
      </fieldset>

      <fieldset aria-describedby={`consents-note${err('consents') ? ' f-consents-error' : ''}`}>
        <legend>{t('consents', lang)}</legend>
        <p class="hint" id="consents-note">
          {t('consentsNote', lang)}
        </p>
        {CONSENTS.map((c) => (
          <label key={c} class="choice">
            <input
              type="checkbox"
              id={`f-consent-${c}`}
              value={c}
              checked={consents.includes(c)}
              onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                setConsents((cur) => (on ? [...cur, c] : cur.filter((x) => x !== c)));
              }}
            />
            {pick(CONSENT_TITLES[c], lang)}
          </label>
        ))}
        {err('consents') ? (
          <span class="error" id="f-consents-error">
            {err('consents')}
          </span>
        ) : null}
      </fieldset>

      <button type="submit" class="primary" disabled={busy}>
        {t('signAndSubmit', lang)}
      </button>
      {busy ? <p role="status">{t('signing', lang)}</p> : null}
    </form>
  );
}
