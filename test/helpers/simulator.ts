/** The simulate harness on the test run's PostgreSQL and time-skipping server (test/global-setup.mjs). */
import { createSimulator, type Simulator, type SimulatorOptions } from '../../simulation/harness';

function env(name: 'HPC_TEST_DATABASE_ADMIN_URL' | 'HPC_TEST_SERVER_BINARY'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (test/global-setup.mjs)`);
  return v;
}

export function testSimulator(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return createSimulator({ adminDatabaseUrl: env('HPC_TEST_DATABASE_ADMIN_URL'), testServerPath: env('HPC_TEST_SERVER_BINARY'), ...opts });
}
