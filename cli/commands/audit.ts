import type { Command } from 'commander';
import { verifyAudit } from '../../db/audit';
import { createPool } from '../../db/pool';
import { EXIT_BAD_INPUT, fail, printJson, runAction } from '../output';

const NO_DATABASE = {
  kk: 'DATABASE_URL орнатылмаған: аудит журналы бар дерекқорды көрсетіңіз',
  ru: 'DATABASE_URL не задан: укажите базу данных с журналом аудита',
  en: 'DATABASE_URL is not set: name the database that holds the audit log',
};

const NO_AUDIT_LOG = {
  kk: 'Дерекқорда аудит журналы жоқ: алдымен көшірулерді қолданыңыз (npm run migrate)',
  ru: 'В базе данных нет журнала аудита: сначала примените миграции (npm run migrate)',
  en: 'The database has no audit log: apply the migrations first (npm run migrate)',
};

const UNDEFINED_TABLE = '42P01';

/**
 * `audit verify`: walks the hash chain of the audit log (db/audit.ts) in the database named by
 * DATABASE_URL. `{"valid": true, "rows": N}`, or `{"valid": false, "firstBadRow": id, "reason":
 * "ALTERED"|"REMOVED"|"INSERTED"|"HEAD_MISSING"}` with exit code 1.
 */
export function register(program: Command): void {
  const audit = program.command('audit').description('The audit log of personal data (issue #3)');
  audit
    .command('verify')
    .description('Verify the hash chain of the audit log in DATABASE_URL: detects altered, removed or inserted rows')
    .action(
      runAction(async () => {
        const url = process.env.DATABASE_URL;
        if (!url) fail('NO_DATABASE', NO_DATABASE, { field: 'DATABASE_URL' });
        const pool = createPool(url, 1);
        try {
          const result = await verifyAudit(pool);
          printJson(result, result.valid ? undefined : EXIT_BAD_INPUT);
        } catch (err) {
          if ((err as { code?: unknown }).code === UNDEFINED_TABLE) fail('NO_AUDIT_LOG', NO_AUDIT_LOG);
          throw err;
        } finally {
          await pool.end();
        }
      }),
    );
}
