/**
 * "Why did my number change?" (issue #12; the queue ledger of issue #11 §1): every change of the
 * case's place in each of its lists — the locality's and each category's — with the instant in
 * UTC+05:00, the place before and after, and the reason in the reader's language as the API gives
 * it (GET /v1/applications/:id/queue-history; never naming anyone else). Newest first, a table per
 * list; "show more" asks for the next page with the API's cursor and appends to the tables.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from '../api';
import { Alert, errorText } from '../components';
import { formatInstant, pick, t, type Lang } from '../i18n';
import { categoryName, localityLabel } from '../reference';
import { linkHandler } from '../router';
import { groupByList, type QueueHistoryItem } from '../queue-format';

interface QueueHistoryPage {
  applicationId: string;
  entries: QueueHistoryItem[];
  nextCursor?: string;
}

/** Items per page: `?limit=` as the API takes it (1–100), else 20 — a link can ask for fewer. */
function pageSize(): number {
  const n = Number(new URLSearchParams(location.search).get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 20;
}

/**
 * "2 → 1" to the eye — three columns fit a phone where four did not — and "was 2; now 1" in words
 * to a screen reader, which would otherwise read the arrow's name.
 */
function Move({ from, to, lang }: { from: number | null; to: number | null; lang: Lang }) {
  const said = (n: number | null): string => (n === null ? t('notInList', lang) : String(n));
  return (
    <>
      <span aria-hidden="true">
        {from ?? '—'} → {to ?? '—'}
      </span>
      <span class="visually-hidden">
        {t('positionFrom', lang)}: {said(from)}; {t('positionTo', lang)}: {said(to)}
      </span>
    </>
  );
}

export function QueueHistoryPage({ id, lang }: { id: string; lang: Lang }) {
  const [items, setItems] = useState<QueueHistoryItem[]>();
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const load = async (cursor?: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const q = new URLSearchParams({ limit: String(pageSize()), ...(cursor ? { cursor } : {}) });
      const page = await call<QueueHistoryPage>('GET', `/v1/applications/${id}/queue-history?${q}`);
      setItems((prev) => [...(cursor ? (prev ?? []) : []), ...page.entries]);
      setNext(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setItems(undefined);
    void load();
  }, [id]);

  const back = `/case/${id}`;
  return (
    <article aria-labelledby="qh-title">
      <p>
        <a href={back} onClick={linkHandler(back)}>
          ← {t('backToCase', lang)}
        </a>
      </p>
      <h1 id="qh-title">{t('queueHistoryTitle', lang)}</h1>
      <p>{t('queueHistoryIntro', lang)}</p>
      <p class="hint">{t('almatyTime', lang)}</p>
      {error ? <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.status === 404 ? 'info' : 'error'} /> : null}
      {items === undefined ? (
        error ? null : <p aria-busy="true">{t('loading', lang)}</p>
      ) : items.length === 0 ? (
        <p data-testid="queue-history-empty">{t('noQueueChanges', lang)}</p>
      ) : (
        <>
          {groupByList(items).map((g) => {
            const title = g.category ? `${t('categoryList', lang)}: ${categoryName(g.category, lang)}` : `${t('localityList', lang)}: ${localityLabel(g.kato, lang)}`;
            const hid = `qh-${g.key.replace(/\W/g, '-')}`;
            return (
              <section key={g.key} aria-labelledby={hid}>
                <h2 id={hid}>{title}</h2>
                <table class="list history">
                  <caption class="visually-hidden">{title}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('changedAt', lang)}</th>
                      <th scope="col">{t('position', lang)}</th>
                      <th scope="col">{t('changeReason', lang)}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.items.map((i, n) => (
                      <tr key={n} data-reason={i.reason.code} data-from={i.from ?? ''} data-to={i.to ?? ''}>
                        <td>{formatInstant(i.at, lang)}</td>
                        <td class="move">
                          <Move from={i.from} to={i.to} lang={lang} />
                        </td>
                        <td>{pick(i.reason, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
          <p role="status" class="hint">
            {t('shownChanges', lang)}: {items.length}
          </p>
          {next ? (
            <p>
              <button type="button" disabled={busy} aria-busy={busy ? 'true' : undefined} onClick={() => void load(next)}>
                {busy ? t('loading', lang) : t('showMore', lang)}
              </button>
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}
