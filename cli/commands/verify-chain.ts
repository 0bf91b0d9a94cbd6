import type { Command } from 'commander';
import { CertificateParseError, loadCertificates, NcaCertificate } from '../../security/pki/certificate';
import { verifyChain } from '../../security/pki/chain';
import { EXIT_BAD_INPUT, fail, printJson, runAction } from '../output';
import { BAD_CERTIFICATE_REASON, readInputFile } from './cert';

/**
 * `verify-chain <cert> --ca <file>... [--at <ISO>]`: path validation against the given CA
 * certificates as trust anchors (security/pki/chain.ts) with the default verifier (RSA in-process;
 * GOST reported as unsupported). `{"valid": true}` or `{"valid": false, "reason"}` with exit 1.
 */
export function register(program: Command): void {
  program
    .command('verify-chain')
    .description('Validate a certificate chain against trusted CA certificates at an instant')
    .argument('<cert>', 'certificate file, DER or PEM')
    .requiredOption('--ca <files...>', 'trusted CA certificate files (DER or PEM, a PEM may hold several)')
    .option('--at <instant>', 'ISO 8601 instant to validate at (default now)')
    .action(
      runAction(async (certFile: string, opts: { ca: string[]; at?: string }) => {
        let at = new Date();
        if (opts.at !== undefined) {
          const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(opts.at) ? Date.parse(opts.at) : NaN;
          if (Number.isNaN(ms)) {
            fail(
              'BAD_INSTANT',
              {
                kk: 'Уақыт ISO 8601 форматында болуы керек, мысалы 2022-06-01T00:00:00Z',
                ru: 'Время должно быть в формате ISO 8601, например 2022-06-01T00:00:00Z',
                en: 'The instant must be ISO 8601, e.g. 2022-06-01T00:00:00Z',
              },
              { field: 'at' },
            );
          }
          at = new Date(ms);
        }
        let leaf: NcaCertificate;
        try {
          leaf = NcaCertificate.from(readInputFile(certFile, 'cert'));
        } catch (err) {
          if (err instanceof CertificateParseError) fail('BAD_CERTIFICATE', BAD_CERTIFICATE_REASON, { field: 'cert', details: err.message });
          throw err;
        }
        const anchors: NcaCertificate[] = [];
        for (const file of opts.ca) {
          try {
            anchors.push(...loadCertificates(readInputFile(file, 'ca')));
          } catch (err) {
            if (err instanceof CertificateParseError) fail('BAD_CERTIFICATE', BAD_CERTIFICATE_REASON, { field: 'ca', details: `${file}: ${err.message}` });
            throw err;
          }
        }
        const result = await verifyChain(leaf, [], anchors, at);
        printJson(result.valid ? { valid: true } : { valid: false, reason: result.reason }, result.valid ? undefined : EXIT_BAD_INPUT);
      }),
    );
}
