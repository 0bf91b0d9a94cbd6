/** Every chaos scenario, in the order `npm run chaos` runs them. */
import type { ChaosScenario } from '../scenario';
import { historySigkill, matchingKill } from './cluster-faults';
import { gatewayFaults } from './gateway-faults';
import { postgresRestart } from './postgres-restart';
import { sameIinConcurrency } from './same-iin-concurrency';
import { temporalRestart } from './temporal-restart';
import { temporalRush } from './temporal-rush';
import { workerSigkill } from './worker-sigkill';

export const SCENARIOS: readonly ChaosScenario[] = [workerSigkill, temporalRestart, postgresRestart, gatewayFaults, sameIinConcurrency, temporalRush];

/** On a multi-service Temporal cluster (`--temporal cluster`): its own faults, and a worker killed. */
export const CLUSTER_SCENARIOS: readonly ChaosScenario[] = [historySigkill, matchingKill, workerSigkill];
