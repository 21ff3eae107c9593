import { expect } from '@jest/globals';
import { type Fleet } from '../../../src/harness/fleet.js';
import { type OutageFigures } from '../../../src/harness/outage.js';
import { describeOutcome } from '../../../src/harness/outcome.js';

/** Prints an outage scenario's figures and asserts: it was felt, nothing acknowledged unstored, nothing lost or doubled. */
export async function expectNothingLost(title: string, fleet: Fleet, figures: OutageFigures): Promise<void> {
  const { outcome } = figures;
  console.log(
    describeOutcome(title, outcome, {
      'deliveries before the outage': figures.deliveriesBeforeOutage,
      'service away (s)': figures.outageSeconds.toFixed(1),
      'answered 503 (retry later)': figures.retryAnswers,
      'acknowledged without effect stored': fleet.balancer.problems.length,
      'callback log verdicts': await fleet.ledger.verdicts(),
    }),
  );
  expect(figures.retryAnswers).toBeGreaterThan(0);
  expect(fleet.balancer.problems).toEqual([]);
  expect(outcome.lost).toEqual([]);
  expect(outcome.doubleCounted).toEqual([]);
  expect(outcome.wrongState).toEqual([]);
  expect(outcome.undelivered).toBe(0);
  expect(fleet.gateways.every((gateway) => gateway.alive())).toBe(true);
}
