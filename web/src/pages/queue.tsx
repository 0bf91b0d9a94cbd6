/**
 * The public queue of one locality (GET /v1/queue/:kato, A2.C3): positions, registration numbers
 * and dates, never names or IINs; filter by category (`?category=`), search by registration number
 * on the page, pages of 50; below it the locality's statistics as charts and tables (./queue-stats.tsx)
 * and the list's latest signed snapshot (./queue-snapshot.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import { Alert, Field, errorText } from '../components';
import { formatDate, t, type Lang } from '../i18n';
import { CATEGORIES, categoryName, localityLabel } from '../reference';
import { QueueStatsSection } from './queue-stats';
import { PublicSnapshot } from './queue-snapshot';

interface QueueList {
  kato: string;
  total: number;
  page: number;
  pageSize: number;
  entries: { position: number; published: boolean; registrationDate?: string; registrationNumber?: string; categories?: string[] }[];
}

export function QueuePage({ kato, lang }: { kato: string; lang: Lang }) {
  const params = new URLSearchParams(location.search);
  const [category, setCategory] = useState(params.get('category') ?? '');
  const [page, setPage] = useState(Number(params.get('page') ?? '1') || 1);
  const [list, setList] = useState<QueueList>();
  const [error, setError] = useState<unknown>();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<number | null>();
  useEffect(() => {
    const q = new URLSearchParams({ page: String(page), pageSize: '50', ...(category ? { category } : {}) });
    const url = new URL(location.href);
    if (category) url.searchParams.set('category', category);
    else url.searchParams.delete('category');
    history.replaceState(null, '', url);
    setList(undefined);
    call<QueueList>('GET', `/v1/queue/${kato}?${q}`).then(setList).catch(setError);
  }, [kato, category, page]);
  const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
  return (
    <section aria-labelledby="q-title">
      <h1 id="q-title">
        {t('queueTitle', lang)}: {localityLabel(kato, lang)}
      </h1>
      <p class="hint">{t('queueNote', lang)}</p>
      <div class="filters">
        <Field id="f-category" label={t('category', lang)}>
          <select id="f-category" value={category} onChange={(e) => { setPage(1); setCategory((e.target as HTMLSelectElement).value); }}>
            <option value="">{t('allCategories', lang)}</option>
            {CATEGORIES.map((c) => (
              <option key={c.code} value={c.code}>
                {categoryName(c.code, lang)}
              </option>
            ))}
          </select>
        </Field>
        <form
          class="inline"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const hit = list?.entries.find((x) => x.registrationNumber === search.trim());
            setFound(hit ? hit.position : null);
          }}
        >
          <Field id="f-search" label={t('searchNumber', lang)}>
            <input id="f-search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          </Field>
          <button type="submit">{t('find', lang)}</button>
        </form>
      </div>
      {found !== undefined ? <Alert kind="info" text={found === null ? t('notInPage', lang) : `${t('position', lang)}: ${found}`} /> : null}
      {error ? (
        <Alert text={errorText(error, lang)} />
      ) : !list ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : (
        <>
          <p>
            {t('total', lang)}: {list.total}
          </p>
          <table class="list">
            <caption class="visually-hidden">{t('queueTitle', lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('position', lang)}</th>
                <th scope="col">{t('registrationNumber', lang)}</th>
                <th scope="col">{t('registrationDate', lang)}</th>
                <th scope="col">{t('categories', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {list.entries.map((e) => (
                <tr key={e.position} class={found === e.position ? 'hit' : undefined}>
                  <td>{e.position}</td>
                  {e.published ? (
                    <>
                      <td class="mono">{e.registrationNumber}</td>
                      <td>{formatDate(e.registrationDate, lang)}</td>
                      <td>{(e.categories ?? []).map((c) => categoryName(c, lang)).join('; ')}</td>
                    </>
                  ) : (
                    <td colSpan={3} class="hint">
                      {t('notPublished', lang)}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label={t('page', lang)}>
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t('previous', lang)}
            </button>
            <span>
              {t('page', lang)} {page} / {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t('next', lang)}
            </button>
          </nav>
        </>
      )}
      <QueueStatsSection kato={kato} lang={lang} />
      <PublicSnapshot kato={kato} category={category} lang={lang} />
    </section>
  );
}
