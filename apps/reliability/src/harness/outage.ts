import { setTimeout as sleep } from 'node:timers/promises';
import { type Fleet } from './fleet.js';
import { judgeOutcome, type Outcome } from './outcome.js';
import { deliverInRandomOrder, deliveryJobs, planPayments } from './payment-plan.js';

export interface OutagePlan {
  readonly invoicesPerProvider: number;
  /** How long the service stays away. */
  readonly downMs: number;
  readonly takeDown: () => Promise<void>;
  readonly bringBack: () => Promise<void>;
}

export interface OutageFigures {
  readonly outcome: Outcome;
  /** Callback answers that told the provider to retry (503) — the outage as the providers saw it. */
  readonly retryAnswers: number;
  readonly deliveriesBeforeOutage: number;
  readonly outageSeconds: number;
}

/**
 * Pays invoices through the simulators (each delivery once or twice, in random order) and, once a
 * quarter of the deliveries went through, takes a service away for `downMs` while the load goes on.
 * The simulators keep retrying what was not acknowledged; the outcome is judged when all are done.
 */
export async function paymentsThroughOutage(fleet: Fleet, plan: OutagePlan): Promise<OutageFigures> {
  const invoices = await fleet.createInvoices(plan.invoicesPerProvider);
  const plans = planPayments(invoices, await fleet.amountsDue());
  const jobs = deliveryJobs(fleet, plans, () => 1 + Math.round(Math.random()));
  let reachedQuarter: () => void = () => undefined;
  const quarter = new Promise<void>((resolve) => (reachedQuarter = resolve));
  let done = 0;
  const delivering = deliverInRandomOrder(fleet, jobs, 24, (count) => {
    done = count;
    if (count >= jobs.length / 4) reachedQuarter();
  });
  await quarter;
  const deliveriesBeforeOutage = done;
  const started = Date.now();
  await plan.takeDown();
  await sleep(plan.downMs);
  await plan.bringBack();
  const outageSeconds = (Date.now() - started) / 1000;
  await delivering;
  const outcome = await judgeOutcome(fleet, plans);
  return { outcome, retryAnswers: outcome.answers['503'] ?? 0, deliveriesBeforeOutage, outageSeconds };
}
