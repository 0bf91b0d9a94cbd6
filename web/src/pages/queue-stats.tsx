/**
 * The statistics of a locality's queue on its public page (issue #12; GET /v1/queue/:kato/stats,
 * issue #11 §3 — counts only): the active entries per category, registrations per month, and the
 * active entries by waiting time, each as a bar chart (web/src/charts.ts, Chart.js, loaded on
 * demand) and as a table with the same numbers for screen readers and anyone who prefers figures.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call } from '../api';
import { Alert, errorText } from '../components';
import { formatInstant, t, type Lang } from '../i18n';
import { categoryName } from '../reference';
import { bucketLabel, monthLabel, wrapLabel } from '../queue-format';

export interface QueueStats {
  kato: string;
  at: string;
  active: number;
  byCategory: { category: string; active: number }[];
  registrationsByMonth: { month: string; registrations: number }[];
  waitingYears: { fromYears: number; toYears: number | null; active: number }[];
  medianWaitingDays: number | null;
}

function BarChart(props: { id: string; title: string; column: string; labels: string[]; values: number[]; lang: Lang; horizontal?: boolean }) {
  const { id, title, column, labels, values, lang, horizontal } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = `${labels.join('|')}#${values.join('|')}`;
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let gone = false;
    void import('../charts').then(({ drawBars }) => {
      if (!gone && canvas.current) chart = drawBars(canvas.current, { labels: horizontal ? labels.map((l) => wrapLabel(l)) : labels, values, label: t('people', lang), ...(horizontal ? { horizontal } : {}) });
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [key, lang]);
  const height = horizontal ? Math.max(8, labels.reduce((n, l) => n + 1.5 + 1.1 * wrapLabel(l).length, 3)) : 16;
  return (
    <section aria-labelledby={`${id}-title`} class="chart" data-testid={`chart-${id}`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {values.length === 0 ? (
        <p>{t('noData', lang)}</p>
      ) : (
        <>
          <div class="chart-box" style={{ height: `${height}rem` }}>
            <canvas ref={canvas} role="img" aria-label={`${title}. ${t('dataTable', lang)} ↓`} />
          </div>
          <details>
            <summary>
              {t('dataTable', lang)}: {title}
            </summary>
            <table class="list">
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{column}</th>
                  <th scope="col">{t('people', lang)}</th>
                </tr>
              </thead>
              <tbody>
                {labels.map((l, i) => (
                  <tr key={l}>
                    <th scope="row">{l}</th>
                    <td>{values[i]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

export function QueueStatsSection({ kato, lang }: { kato: string; lang: Lang }) {
  const [stats, setStats] = useState<QueueStats>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setStats(undefined);
    call<QueueStats>('GET', `/v1/queue/${kato}/stats`).then(setStats).catch(setError);
  }, [kato]);
  return (
    <section aria-labelledby="qs-title" class="stats">
      <h2 id="qs-title">{t('queueStats', lang)}</h2>
      {error ? (
        <Alert text={errorText(error, lang)} />
      ) : !stats ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('statsActive', lang)}</dt>
            <dd data-testid="stats-active">{stats.active}</dd>
            <dt>{t('medianWait', lang)}</dt>
            <dd>{stats.medianWaitingDays === null ? '—' : `${stats.medianWaitingDays} ${t('days', lang)}`}</dd>
            <dt>{t('statsAt', lang)}</dt>
            <dd>{formatInstant(stats.at, lang)}</dd>
          </dl>
          <BarChart
            id="by-category"
            title={t('chartByCategory', lang)}
            column={t('category', lang)}
            labels={stats.byCategory.map((c) => categoryName(c.category, lang))}
            values={stats.byCategory.map((c) => c.active)}
            lang={lang}
            horizontal
          />
          <BarChart
            id="by-month"
            title={t('chartByMonth', lang)}
            column={t('month', lang)}
            labels={stats.registrationsByMonth.map((m) => monthLabel(m.month, lang))}
            values={stats.registrationsByMonth.map((m) => m.registrations)}
            lang={lang}
          />
          <BarChart
            id="waiting"
            title={t('chartWaiting', lang)}
            column={t('waitingTime', lang)}
            labels={stats.waitingYears.map((w) => bucketLabel(w.fromYears, w.toYears, lang))}
            values={stats.waitingYears.map((w) => w.active)}
            lang={lang}
          />
        </>
      )}
    </section>
  );
}
