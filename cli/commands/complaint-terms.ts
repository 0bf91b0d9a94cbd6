import type { Command } from 'commander';
import { CalendarUnavailableError } from '../../domain/calendar';
import { complaintTerms, reviewBodyTerms } from '../../domain/complaints/terms';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { InvalidInstantError, parseInstant, toAlmatyIso } from '../../domain/time';
import { fail, printJson, runAction } from '../output';

function instant(arg: string, field: string): number {
  try {
    return parseInstant(arg);
  } catch (err) {
    if (err instanceof InvalidInstantError) fail(err.code, err.reason, { field });
    throw err;
  }
}

/**
 * `complaint-terms <receivedAt> [--review-body-registered-at <instant>]`: a complaint's terms
 * (R18, R19; SPEC §8 Interpretation), from domain/complaints/terms.ts on the installed reference data.
 */
export function register(program: Command): void {
  program
    .command('complaint-terms')
    .description("A complaint's registration and due instants (R18, R19; SPEC §8)")
    .argument('<receivedAt>', 'ISO 8601 instant with offset, e.g. 2026-03-06T19:00:00+05:00')
    .option('--review-body-registered-at <instant>', "when the review body registered it: adds its decision's due instant")
    .action(
      runAction((receivedAtArg: string, opts: { reviewBodyRegisteredAt?: string }) => {
        const receivedAt = instant(receivedAtArg, 'receivedAt');
        const reviewBodyAt = opts.reviewBodyRegisteredAt === undefined ? undefined : instant(opts.reviewBodyRegisteredAt, 'reviewBodyRegisteredAt');
        try {
          const reference = currentReferenceSnapshot();
          const t = complaintTerms(reference, receivedAt);
          const rb = reviewBodyAt === undefined ? undefined : reviewBodyTerms(reference, reviewBodyAt);
          printJson({
            receivedAt: toAlmatyIso(t.receivedAtMs),
            registeredAt: toAlmatyIso(t.registeredAtMs),
            providerDecisionDueAt: toAlmatyIso(t.providerDecisionDueAtMs),
            forwardDueAt: toAlmatyIso(t.forwardDueAtMs),
            ...(rb ? { reviewBodyDecisionDueAt: toAlmatyIso(rb.reviewBodyDecisionDueAtMs) } : {}),
          });
        } catch (err) {
          if (err instanceof CalendarUnavailableError) fail(err.reason.code, err.reason, { details: { year: err.year } });
          throw err;
        }
      }),
    );
}
