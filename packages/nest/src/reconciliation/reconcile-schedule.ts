import { type Invoice, monitoringEndsAt } from '@cryptopay/invoice';
import { DAY_MS, DURATION_RULE, parseDuration } from '../scheduling/duration.js';

/**
 * When an invoice is reconciled with its provider: at these offsets after its creation, then every
 * last offset again, until its monitoring window ends. Default `2m,5m,15m,1h,6h`: 2, 5 and 15 minutes,
 * 1 hour and 6 hours after creation, then every 6 hours.
 */
export type ReconcileSchedule = readonly number[];

export const DEFAULT_RECONCILE_SCHEDULE = '2m,5m,15m,1h,6h';
/** A year: a longer step is a typing mistake, not a schedule. */
const MAX_OFFSET_MS = 366 * DAY_MS;

/** `2m,5m,15m,1h,6h` → offsets in ms; null when the text is not a list of increasing durations. */
export function parseReconcileSchedule(text: string): ReconcileSchedule | null {
  const offsets: number[] = [];
  for (const step of text.split(',').map((part) => part.trim())) {
    const offset = parseDuration(step, MAX_OFFSET_MS);
    if (offset === null || offset <= (offsets.at(-1) ?? 0)) return null;
    offsets.push(offset);
  }
  return offsets.length > 0 ? offsets : null;
}

/** What the schedule rule says about a text, for option messages. */
export const RECONCILE_SCHEDULE_RULE =
  `a comma-separated list of increasing durations after creation, each ${DURATION_RULE}, at most a year (like 2m,5m,15m,1h,6h); the last one repeats`;

/**
 * The first reconciliation after `now` for this invoice, or null when there is none: it is settled or
 * invalid (nothing a provider reports changes it), or its monitoring window has ended. The last
 * point is the end of the window itself, so a payment in the window's last hours is still looked for.
 */
export function nextReconcileAt(invoice: Pick<Invoice, 'status' | 'createdAt' | 'expiresAt' | 'policy'>, now: Date, schedule: ReconcileSchedule): Date | null {
  if (invoice.status === 'settled' || invoice.status === 'invalid') return null;
  const end = monitoringEndsAt(invoice).getTime();
  if (now.getTime() >= end) return null;
  const created = invoice.createdAt.getTime();
  const elapsed = now.getTime() - created;
  const listed = schedule.find((offset) => offset > elapsed);
  const last = schedule.at(-1)!;
  const offset = listed ?? last * (Math.floor(elapsed / last) + 1);
  return new Date(Math.min(created + offset, end));
}
