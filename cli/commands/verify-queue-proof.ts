import type { Command } from 'commander';
import { CertificateParseError, loadCertificates, type NcaCertificate } from '../../security/pki/certificate';
import { loadTrustStore, TrustStoreError } from '../../security/pki/trust-store';
import { verifyQueueProof } from '../../security/queue-proof';
import { EXIT_BAD_INPUT, fail, printJson, runAction } from '../output';
import { BAD_CERTIFICATE_REASON, readInputFile } from './cert';

const NOT_JSON = (path: string) => ({
  kk: `Файл JSON емес: ${path}`,
  ru: `Файл не является JSON: ${path}`,
  en: `The file is not JSON: ${path}`,
});

function readJson(path: string, field: string): unknown {
  const bytes = readInputFile(path, field);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    fail('BAD_JSON', NOT_JSON(path), { field });
  }
}

/**
 * `verify-queue-proof <snapshot.json> <proof.json> [--ca <files...>] [--previous <snapshot.json>]`
 * (issue #11 §4): checks offline that the snapshot is signed by the provider (a trusted chain: the
 * --ca files, else the trust store, HPC_TRUST_STORE), that the proof is of that snapshot and its
 * path leads to the signed root, and — with --previous — that the snapshot signs the previous
 * one's root. Prints `{"valid": true, "kato", "category"?, "position", "snapshotAt"}`, or
 * `{"valid": false, "reason"}` with exit code 1. Unreadable files: a JSON error, exit 1.
 */
export function register(program: Command): void {
  program
    .command('verify-queue-proof')
    .description("Verify a published queue snapshot's signature and a person's inclusion proof, offline")
    .argument('<snapshot>', 'the snapshot JSON (GET /v1/queue/:kato/snapshot)')
    .argument('<proof>', 'the proof JSON (GET /v1/applications/:id/queue-proof)')
    .option('--ca <files...>', 'trusted CA certificates (DER or PEM); default: the trust store')
    .option('--previous <snapshot>', "the list's previous snapshot, to check the chain")
    .action(
      runAction(async (snapshotFile: string, proofFile: string, opts: { ca?: string[]; previous?: string }) => {
        const snapshot = readJson(snapshotFile, 'snapshot');
        const proof = readJson(proofFile, 'proof');
        const previous = opts.previous === undefined ? undefined : readJson(opts.previous, 'previous');
        let anchors: NcaCertificate[] = [];
        if (opts.ca) {
          for (const file of opts.ca) {
            try {
              anchors.push(...loadCertificates(readInputFile(file, 'ca')));
            } catch (err) {
              if (err instanceof CertificateParseError) fail('BAD_CERTIFICATE', BAD_CERTIFICATE_REASON, { field: 'ca', details: `${file}: ${err.message}` });
              throw err;
            }
          }
        } else {
          try {
            anchors = [...loadTrustStore().anchors];
          } catch (err) {
            if (err instanceof TrustStoreError) {
              fail('BAD_TRUST_STORE', { kk: 'Сенім қоймасын оқу мүмкін емес', ru: 'Не удалось прочитать хранилище доверенных сертификатов', en: err.message }, { field: 'HPC_TRUST_STORE' });
            }
            throw err;
          }
        }
        const result = await verifyQueueProof(snapshot, proof, { anchors, ...(previous === undefined ? {} : { previous }) });
        printJson(result, result.valid ? undefined : EXIT_BAD_INPUT);
      }),
    );
}
