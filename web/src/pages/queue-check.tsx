/**
 * Checking one's own row against the signed snapshot, in the browser (issue #12; issue #11 §4):
 * the page fetches the list's latest signed snapshot (GET /v1/queue/:kato/snapshot) and the case's
 * inclusion proof (GET /v1/applications/:id/queue-proof) and runs domain/queue-proof-check.ts — the
 * very check `hpc verify-queue-proof` runs — with WebCrypto's SHA-256: the proof names this
 * snapshot, the leaf stands at its position, and its RFC 9162 path leads to the signed root.
 *
 * The provider's signature over the snapshot is NOT checked here, and the page says so. It is a
 * detached CMS by an NCA RK certificate that must chain to NCA's CA: NCA RK issues GOST 34.10-2015
 * keys (and RSA ones), and WebCrypto has no GOST; the certificate, BIN and chain checks
 * (security/pki/) are written for Node; and a browser has no trust anchor of its own — one served
 * with the page would come from the very server being checked, so a "signature valid" here would
 * prove little. (The development key is RSA, which WebCrypto could check — without an anchor.)
 * The person downloads both files and the CLI checks the signature offline; the page shows how.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from '../api';
import { Alert, Field, errorText } from '../components';
import { subtleSha256, verifyInclusion, type ProofResult } from '../../../domain/queue-proof-check';
import type { QueueProof, SignedSnapshot } from '../../../domain/queue-snapshot';
import { PROOF_FAILURES } from '../../../domain/messages/ui';
import { formatInstant, pick, t, type Lang } from '../i18n';
import { categoryName, localityLabel } from '../reference';
import { linkHandler } from '../router';

interface QueuePosition {
  kato: string;
  position: number;
  categoryPositions: Record<string, number>;
}

interface Checked {
  result: ProofResult;
  snapshot: SignedSnapshot;
  proof: QueueProof;
  snapshotUrl: string;
  proofUrl: string;
}

const jsonUrl = (v: unknown): string => URL.createObjectURL(new Blob([`${JSON.stringify(v, null, 2)}\n`], { type: 'application/json' }));

export function QueueCheckPage({ id, lang }: { id: string; lang: Lang }) {
  const [queue, setQueue] = useState<QueuePosition>();
  const [list, setList] = useState('');
  const [checked, setChecked] = useState<Checked>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call<QueuePosition>('GET', `/v1/applications/${id}/queue-position`).then(setQueue).catch(setError);
  }, [id]);
  // Blob URLs hold the files in memory until revoked.
  useEffect(
    () => () => {
      if (checked) {
        URL.revokeObjectURL(checked.snapshotUrl);
        URL.revokeObjectURL(checked.proofUrl);
      }
    },
    [checked],
  );

  const run = async (): Promise<void> => {
    if (!queue) return;
    setBusy(true);
    setError(undefined);
    setChecked(undefined);
    try {
      const q = list ? `?${new URLSearchParams({ category: list })}` : '';
      const [snapshot, proof] = await Promise.all([
        call<SignedSnapshot>('GET', `/v1/queue/${queue.kato}/snapshot${q}`),
        call<QueueProof>('GET', `/v1/applications/${id}/queue-proof${q}`),
      ]);
      const result = await verifyInclusion(snapshot, proof, subtleSha256);
      setChecked({ result, snapshot, proof, snapshotUrl: jsonUrl(snapshot), proofUrl: jsonUrl(proof) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const back = `/case/${id}`;
  const listName = (code: string): string => (code ? `${t('categoryList', lang)}: ${categoryName(code, lang)}` : `${t('localityList', lang)}: ${queue ? localityLabel(queue.kato, lang) : ''}`);
  return (
    <article aria-labelledby="qc-title">
      <p>
        <a href={back} onClick={linkHandler(back)}>
          ← {t('backToCase', lang)}
        </a>
      </p>
      <h1 id="qc-title">{t('queueCheckTitle', lang)}</h1>
      <p>{t('queueCheckIntro', lang)}</p>
      {!queue ? (
        error ? <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.status === 404 ? 'info' : 'error'} /> : <p aria-busy="true">{t('loading', lang)}</p>
      ) : (
        <>
          <form
            aria-labelledby="qc-title"
            onSubmit={(e) => {
              e.preventDefault();
              void run();
            }}
          >
            <Field id="f-list" label={t('listToCheck', lang)}>
              <select id="f-list" value={list} onChange={(e) => setList((e.target as HTMLSelectElement).value)}>
                <option value="">{listName('')}</option>
                {Object.keys(queue.categoryPositions).map((c) => (
                  <option key={c} value={c}>
                    {listName(c)}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t('checking', lang) : t('check', lang)}
            </button>
          </form>
          {/* Only the verdict is announced; the figures below are there to read at one's pace. */}
          <p role="status" class="visually-hidden">
            {checked ? verdict(checked.result, lang) : ''}
          </p>
          {error ? <Alert text={errorText(error, lang)} kind={error instanceof ApiFailure && error.status === 404 ? 'info' : 'error'} /> : null}
          {checked ? <Result checked={checked} lang={lang} /> : null}
        </>
      )}
    </article>
  );
}

function verdict(result: ProofResult, lang: Lang): string {
  return result.valid ? t('proofValid', lang) : `${t('proofInvalid', lang)}: ${pick(PROOF_FAILURES[result.reason], lang) || result.reason}`;
}

function Result({ checked, lang }: { checked: Checked; lang: Lang }) {
  const { result, snapshot, proof } = checked;
  const st = snapshot.statement;
  return (
    <section aria-labelledby="qc-result" class="queue-box" data-testid="proof-result" data-valid={String(result.valid)}>
      <h2 id="qc-result">
        <span aria-hidden="true">{result.valid ? '✓ ' : '✗ '}</span>
        {verdict(result, lang)}
      </h2>
      <dl class="facts">
        <dt>{t('position', lang)}</dt>
        <dd data-testid="proof-position">{proof.leaf.position}</dd>
        <dt>{t('snapshotAt', lang)}</dt>
        <dd>{formatInstant(st.snapshotAt, lang)}</dd>
        <dt>{t('snapshotSeq', lang)}</dt>
        <dd>{st.seq}</dd>
        <dt>{t('treeSize', lang)}</dt>
        <dd>{st.treeSize}</dd>
        <dt>{t('rootHash', lang)}</dt>
        <dd class="mono">{st.rootHash}</dd>
      </dl>
      <p>{t('signatureByCli', lang)}</p>
      <pre class="mono command" tabIndex={0} aria-label="hpc verify-queue-proof">
        <code>npm run --silent hpc -- verify-queue-proof snapshot.json proof.json</code>
      </pre>
      <p class="buttons">
        <a class="button" href={checked.snapshotUrl} download="snapshot.json">
          {t('downloadSnapshot', lang)}
        </a>
        <a class="button" href={checked.proofUrl} download="proof.json">
          {t('downloadProof', lang)}
        </a>
      </p>
    </section>
  );
}
