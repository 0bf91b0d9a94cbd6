/** The citizen's applications (GET /v1/cabinet/applications; "not available" while the server lacks it). */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call, type Localized } from '../api';
import { Alert, errorText } from '../components';
import { formatInstant, pick, t, type Lang } from '../i18n';
import { linkHandler } from '../router';

interface CabinetItem {
  applicationId: string;
  path: string;
  kato: string;
  status: string;
  statusText: Localized;
  receivedAt: string;
  decisionDueAt: string;
}

export function Cabinet({ lang }: { lang: Lang }) {
  const [items, setItems] = useState<CabinetItem[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    call<{ items: CabinetItem[] }>('GET', '/v1/cabinet/applications')
      .then((r) => setItems(r.items))
      .catch(setError);
  }, []);
  return (
    <section aria-labelledby="cab-title">
      <h1 id="cab-title">{t('myApplications', lang)}</h1>
      <p>
        <a class="button primary" href="/apply" onClick={linkHandler('/apply')}>
          {t('apply', lang)}
        </a>
      </p>
      {error ? (
        <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.routeMissing ? 'info' : 'error'} />
      ) : items === undefined ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : items.length === 0 ? (
        <p>{t('noApplications', lang)}</p>
      ) : (
        <ul class="cards">
          {items.map((i) => (
            <li key={i.applicationId}>
              <a href={`/case/${i.applicationId}`} onClick={linkHandler(`/case/${i.applicationId}`)}>
                {t('application', lang)} {i.applicationId.slice(0, 8)}
              </a>
              <span class="status">{pick(i.statusText, lang)}</span>
              <span>
                {t('receivedAt', lang)}: {formatInstant(i.receivedAt, lang)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
