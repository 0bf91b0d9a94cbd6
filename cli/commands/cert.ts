import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CertificateParseError, parseCertificate, type ParsedCertificate } from '../../security/pki/certificate';
import { fail, printJson, runAction } from '../output';

/** Reads a file or fails with FILE_NOT_READABLE naming the argument. */
export function readInputFile(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    fail(
      'FILE_NOT_READABLE',
      {
        kk: `Файлды оқу мүмкін емес: ${path}`,
        ru: `Не удалось прочитать файл: ${path}`,
        en: `Cannot read the file: ${path}`,
      },
      { field },
    );
  }
}

export const BAD_CERTIFICATE_REASON = {
  kk: 'Файл X.509 сертификаты емес (DER немесе PEM күтілді)',
  ru: 'Файл не является сертификатом X.509 (ожидается DER или PEM)',
  en: 'The file is not an X.509 certificate (DER or PEM expected)',
};

/** Parses a certificate or fails with BAD_CERTIFICATE naming the argument. */
function parseOrFail(bytes: Buffer, field: string): ParsedCertificate {
  try {
    return parseCertificate(bytes);
  } catch (err) {
    if (err instanceof CertificateParseError) fail('BAD_CERTIFICATE', BAD_CERTIFICATE_REASON, { field, details: err.message });
    throw err;
  }
}

/**
 * `cert <file>`: an NCA certificate's identity fields (security/pki/certificate.ts). `iin` is null
 * for a certificate without SERIALNUMBER=IIN… (a CA's).
 */
export function register(program: Command): void {
  program
    .command('cert')
    .description('Parse an X.509 certificate (.cer/.crt DER or .pem) in the NCA layout')
    .argument('<file>', 'certificate file, DER or PEM')
    .action(
      runAction((file: string) => {
        const c = parseOrFail(readInputFile(file, 'file'), 'file');
        printJson({
          iin: c.iin ?? null,
          ...(c.bin === undefined ? {} : { bin: c.bin }),
          commonName: c.commonName,
          surname: c.surname,
          ...(c.givenName === undefined ? {} : { givenName: c.givenName }),
          keyUsage: c.keyUsage,
          extKeyUsage: c.extKeyUsage,
          policies: c.policies,
          subjectType: c.subjectType,
          notBefore: c.notBefore,
          notAfter: c.notAfter,
          issuer: c.issuer,
          algorithm: c.algorithm,
        });
      }),
    );
}
