import { describe, expect, it } from '@jest/globals';
import { DEFAULT_INVOICE_POLICY } from '@cryptopay/invoice';
import { DEFAULT_RECONCILE_SCHEDULE, nextReconcileAt, parseReconcileSchedule, validatePaymentsOptions } from '../src/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CREATED = new Date('2026-12-04T10:00:00Z');
/** Expires after 15 minutes, monitored for 24 hours after that (the defaults). */
const open = { status: 'new' as const, createdAt: CREATED, expiresAt: new Date(CREATED.getTime() + 15 * MINUTE), policy: DEFAULT_INVOICE_POLICY };
const after = (ms: number) => new Date(CREATED.getTime() + ms);

describe('the reconciliation schedule', () => {
  it('reads durations in seconds, minutes, hours and days', () => {
    expect(parseReconcileSchedule(DEFAULT_RECONCILE_SCHEDULE)).toEqual([2 * MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR]);
    expect(parseReconcileSchedule('30s, 1d')).toEqual([30_000, 24 * HOUR]);
  });

  it.each(['', '2m,1m', '2m,2m', '5', '2 m', '1.5h', '-2m', '0m', '2m,,5m', '400d'])('refuses %j', (text) => {
    expect(parseReconcileSchedule(text)).toBeNull();
  });

  it('follows the steps after creation, then repeats the last one', () => {
    const schedule = parseReconcileSchedule(DEFAULT_RECONCILE_SCHEDULE)!;
    expect(nextReconcileAt(open, CREATED, schedule)).toEqual(after(2 * MINUTE));
    expect(nextReconcileAt(open, after(2 * MINUTE), schedule)).toEqual(after(5 * MINUTE));
    expect(nextReconcileAt(open, after(2 * HOUR), schedule)).toEqual(after(6 * HOUR));
    expect(nextReconcileAt(open, after(6 * HOUR), schedule)).toEqual(after(12 * HOUR));
    expect(nextReconcileAt({ ...open, status: 'expired' }, after(13 * HOUR), schedule)).toEqual(after(18 * HOUR));
  });

  it('looks a last time when the monitoring window ends, and never after', () => {
    const schedule = parseReconcileSchedule(DEFAULT_RECONCILE_SCHEDULE)!;
    const windowEnd = after(15 * MINUTE + 24 * HOUR);
    expect(nextReconcileAt({ ...open, status: 'expired' }, after(24 * HOUR), schedule)).toEqual(windowEnd);
    expect(nextReconcileAt({ ...open, status: 'expired' }, windowEnd, schedule)).toBeNull();
  });

  it('never for a settled or invalid invoice', () => {
    const schedule = parseReconcileSchedule(DEFAULT_RECONCILE_SCHEDULE)!;
    expect(nextReconcileAt({ ...open, status: 'settled' }, CREATED, schedule)).toBeNull();
    expect(nextReconcileAt({ ...open, status: 'invalid' }, CREATED, schedule)).toBeNull();
  });

  it('is validated with the module options, naming the setting', () => {
    const base = { publicUrl: 'https://pay.example.com', apiTokens: ['reconcile-schedule-token-0123456789abcdef'], store: { transaction() {}, ping() {}, close() {}, invoices: { findById() {}, update() {} }, deliveries: { recordMany() {}, prune() {}, list() {} }, reconciliations: { claimDue() {} }, webhooks: { claimDue() {} } } };
    expect(validatePaymentsOptions(base as never).reconciliation).toMatchObject({ schedule: [2 * MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR], intervalMs: 15_000 });
    expect(validatePaymentsOptions({ ...base, reconciliation: { schedule: '1m,1h' } } as never).reconciliation.schedule).toEqual([MINUTE, HOUR]);
    expect(() => validatePaymentsOptions({ ...base, reconciliation: { schedule: '5m,2m' } } as never)).toThrow('reconciliation.schedule must be a comma-separated list of increasing durations');
    expect(() => validatePaymentsOptions({ ...base, reconciliation: { intervalMs: -1 } } as never)).toThrow('reconciliation.intervalMs must be a whole number');
  });
});
