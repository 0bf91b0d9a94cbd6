import { createPool } from './pool';
import { migrate } from './migrate';

async function main(): Promise<void> {
  const pool = createPool();
  try {
    const applied = await migrate(pool);
    process.stdout.write(JSON.stringify({ applied }) + '\n');
  } finally {
    await pool.end();
  }
}
main().catch((err: Error) => {
  process.stderr.write(`migration failed: ${err.message}\n`);
  process.exit(1);
});
