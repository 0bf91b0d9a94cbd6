/**
 * The list's latest signed snapshot on the public queue page (issue #12; GET /v1/queue/:kato/snapshot,
 * issue #11 §4): its number, time, size, root and the previous root it signs, the CMS signature
 * itself, snapshot.json to download and how to check it offline. A person checks their own record
 * on their case page (./queue-check.tsx).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from '../api';
import { Alert, errorText } from '../components';
import type { SignedSnapshot } from '../../../domain/queue-snapshot';
import { formatInstant, t, type Lang } from '../i18n';

export function PublicSnapshot({ kato, category, lang }: { kato: string; category: string; lang: Lang }) {
  const [snap, setSnap] = useState<SignedSnapshot>();
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setSnap(undefined);
    setError(undefined);
    const q = category ? `?${new URLSearchParams({ category })}` : '';
    let made: string | undefined;
    call<SignedSnapshot>('GET', `/v1/queue/${kato}/snapshot${q}`)
      .then((s) => {
        setSnap(s);
        made = URL.createObjectURL(new Blob([`${JSON.stringify(s, null, 2)}\n`], { type: 'application/json' }));
        setUrl(made);
      })
      .catch(setError);
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [kato, category]);
  return (
    <section aria-labelledby="ps-title" data-testid="public-snapshot">
      <h2 id="ps-title">{t('publicSnapshot', lang)}</h2>
      <p>{t('publicSnapshotIntro', lang)}</p>
      {error ? (
        <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.status === 404 ? 'info' : 'error'} />
      ) : !snap ? (
        <p aria-busy="true">{t('loading', lang)}</p>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('snapshotSeq', lang)}</dt>
            <dd>{snap.statement.seq}</dd>
            <dt>{t('snapshotAt', lang)}</dt>
            <dd>{formatInstant(snap.statement.snapshotAt, lang)}</dd>
            <dt>{t('treeSize', lang)}</dt>
            <dd>{snap.statement.treeSize}</dd>
            <dt>{t('rootHash', lang)}</dt>
            <dd class="mono" data-testid="snapshot-root">
              {snap.statement.rootHash}
            </dd>
            {snap.statement.previousRootHash ? (
              <>
                <dt>{t('previousRootHash', lang)}</dt>
                <dd class="mono">{snap.statement.previousRootHash}</dd>
              </>
            ) : null}
          </dl>
          <details>
            <summary>{t('signatureCms', lang)}</summary>
            <pre class="mono command signature" tabIndex={0} aria-label={t('signatureCms', lang)}>
              {snap.signature}
            </pre>
          </details>
          <p>{t('howToVerify', lang)}</p>
          <pre class="mono command" tabIndex={0} aria-label="hpc verify-queue-proof">
            <code>npm run --silent hpc -- verify-queue-proof snapshot.json proof.json</code>
          </pre>
          <p>
            <a class="button" href={url} download="snapshot.json">
              {t('downloadSnapshot', lang)}
            </a>
          </p>
        </>
      )}
    </section>
  );
}
