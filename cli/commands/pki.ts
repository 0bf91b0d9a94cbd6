import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { fail, printJson, runAction } from '../output';

interface InitOptions {
  out?: string;
  fixture?: string;
  ocspUrl?: string;
  trustDir?: string;
  trustCopy: boolean;
}

/**
 * `pki init-test-ca`: a development CA with PKCS#12 keys for the sandbox fixture's applicants and
 * representatives and for the staff (dev/pki/test-ca.ts, docs/eds.md). Prints where
 * everything went; the keys stay in the (git-ignored) output folder. The test CA (dev/pki/) and the
 * sandbox fixture load only when the command runs: the production CLI never loads development code.
 */
export function register(program: Command): void {
  const pki = program.command('pki').description('Development PKI (test CA for EDS sign-in and signatures)');
  pki
    .command('init-test-ca')
    .description('Create a test CA, an OCSP responder certificate and PKCS#12 keys for demo persons and staff')
    .option('--out <dir>', 'CA folder (replaced if it holds a CA; default security/pki/test-ca)')
    .option('--fixture <file>', 'sandbox fixture whose applicants and representatives get keys (default sandbox/fixtures/demo.json)')
    .option('--ocsp-url <url>', 'OCSP responder URL written into the certificates (default http://127.0.0.1:4010/ocsp)')
    .option('--trust-dir <dir>', 'folder of the trust store to copy the CA certificate into (default security/pki/trust)')
    .option('--no-trust-copy', 'do not copy the CA certificate into a trust store')
    .action(
      runAction(async (opts: InitOptions) => {
        const { DEFAULT_OCSP_URL, DEFAULT_TEST_CA_DIR, initTestCa } = await import('../../dev/pki/test-ca');
        const { FixtureError } = await import('../../sandbox/fixture');
        const ocspUrl = opts.ocspUrl ?? DEFAULT_OCSP_URL;
        if (opts.fixture !== undefined && !existsSync(opts.fixture)) {
          fail(
            'FILE_NOT_READABLE',
            {
              kk: `Фикстура файлы табылмады: ${opts.fixture}`,
              ru: `Файл фикстуры не найден: ${opts.fixture}`,
              en: `The fixture file was not found: ${opts.fixture}`,
            },
            { field: 'fixture' },
          );
        }
        if (!/^https?:\/\/[^\s]+$/.test(ocspUrl)) {
          fail(
            'BAD_URL',
            {
              kk: 'OCSP мекенжайы http:// немесе https:// URL болуы керек',
              ru: 'Адрес OCSP должен быть URL http:// или https://',
              en: 'The OCSP address must be an http:// or https:// URL',
            },
            { field: 'ocsp-url' },
          );
        }
        try {
          const result = await initTestCa({
            out: opts.out ?? DEFAULT_TEST_CA_DIR,
            fixture: opts.fixture,
            ocspUrl,
            trustDir: opts.trustCopy ? opts.trustDir : null,
          });
          printJson(result);
        } catch (err) {
          if (err instanceof FixtureError || err instanceof SyntaxError) {
            fail(
              'BAD_FIXTURE',
              {
                kk: 'Фикстура файлы жарамсыз',
                ru: 'Файл фикстуры некорректен',
                en: 'The fixture file is not valid',
              },
              { field: 'fixture', details: err instanceof FixtureError ? err.issues.slice(0, 20) : err.message },
            );
          }
          throw err;
        }
      }),
    );
}
