import {
  fingerprintOf,
  IdempotencyGuardService,
  IdempotencyKey,
  MemoryIdempotencyStore,
  type StoredOutcome,
} from '../src/index.js';
import { Gate } from './support/gate.js';
import { RecordingMetrics } from './support/recording-metrics.js';

const ok: StoredOutcome = { status: 200, headers: { 'content-type': 'text/plain' }, body: '*ok*' };
const fingerprint = fingerprintOf('callback body');

describe('IdempotencyGuardService', () => {
  let now: number;
  let metrics: RecordingMetrics;
  let guard: IdempotencyGuardService;
  let runs: number;
  const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: 'uuid-1' });
  const acknowledge = async () => {
    runs += 1;
    return ok;
  };

  beforeEach(() => {
    now = 0;
    runs = 0;
    metrics = new RecordingMetrics();
    guard = new IdempotencyGuardService(new MemoryIdempotencyStore({ leaseMs: 30_000, now: () => now }), metrics);
  });

  it('runs the handler once and replays its outcome to duplicates', async () => {
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'executed', outcome: ok });
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'replayed', outcome: ok });
    expect(runs).toBe(1);
    expect(metrics.count('claimAcquired', 'callback')).toBe(1);
    expect(metrics.count('duplicateAnswered', 'callback')).toBe(1);
  });

  it('answers in-flight while the first run is going, without running again', async () => {
    const gate = new Gate();
    const first = guard.run(key, fingerprint, async () => {
      await gate.opened;
      return acknowledge();
    });
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'in-flight', leaseRemainingMs: 30_000 });
    gate.open();
    await first;
    expect(runs).toBe(1);
    expect(metrics.count('inFlightConflict', 'callback')).toBe(1);
  });

  it('answers mismatch for the key reused with another fingerprint', async () => {
    await guard.run(key, fingerprint, acknowledge);
    expect(await guard.run(key, fingerprintOf('another body'), acknowledge)).toEqual({ kind: 'mismatch' });
    expect(runs).toBe(1);
    expect(metrics.count('fingerprintMismatch', 'callback')).toBe(1);
  });

  it('offers the stored outcome of a completed key without claiming, only when it answers this request', async () => {
    const sameFingerprint = (_outcome: StoredOutcome, stored: string) => stored === fingerprint;
    expect(await guard.completedOutcome(key, sameFingerprint)).toBeNull(); // nothing stored yet
    const gate = new Gate();
    const first = guard.run(key, fingerprint, async () => {
      await gate.opened;
      return { ...(await acknowledge()), context: { invoice: 'inv-1' } };
    });
    expect(await guard.completedOutcome(key, sameFingerprint)).toBeNull(); // in flight: only a claim may answer
    gate.open();
    await first;
    expect(await guard.completedOutcome(key, sameFingerprint)).toEqual({ ...ok, context: { invoice: 'inv-1' } });
    expect(await guard.completedOutcome(key, (outcome) => outcome.context?.['invoice'] === 'inv-2')).toBeNull(); // the claim's to answer
    expect(runs).toBe(1);
    expect(metrics.count('duplicateAnswered', 'callback')).toBe(1);
  });

  it('releases the key when the handler throws, so the retry is processed', async () => {
    const failing = async (): Promise<StoredOutcome> => {
      throw new Error('database unavailable');
    };
    await expect(guard.run(key, fingerprint, failing)).rejects.toThrow('database unavailable');
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'executed', outcome: ok });
  });

  it.each([500, 502, 503, 504, 599])('never stores a %i outcome: the key is freed and the retry runs the handler', async (status) => {
    const failed: StoredOutcome = { status, headers: {}, body: 'the work did not happen' };
    expect(await guard.run(key, fingerprint, async () => failed)).toEqual({ kind: 'executed', outcome: failed });
    expect(await guard.completedOutcome(key, () => true)).toBeNull();
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'executed', outcome: ok });
    expect(runs).toBe(1);
  });

  it.each([200, 201, 400, 422, 499])('stores a %i outcome and replays it to the retry', async (status) => {
    const answered: StoredOutcome = { status, headers: { 'content-type': 'application/json' }, body: '{"answered":true}' };
    expect(await guard.run(key, fingerprint, async () => answered)).toEqual({ kind: 'executed', outcome: answered });
    expect(await guard.run(key, fingerprint, acknowledge)).toEqual({ kind: 'replayed', outcome: answered });
    expect(runs).toBe(0);
  });

  it('releases the key when the handler returns an outcome that cannot be stored', async () => {
    await expect(guard.run(key, fingerprint, async () => ({ ...ok, status: 99 }))).rejects.toThrow(TypeError);
    expect((await guard.run(key, fingerprint, acknowledge)).kind).toBe('executed');
  });

  it('does not answer success when the handler outlived its lease and lost the key', async () => {
    const result = await guard.run(key, fingerprint, async () => {
      now += 30_000; // the lease ends mid-handler
      expect((await guard.run(key, fingerprint, acknowledge)).kind).toBe('executed'); // a retry takes over
      return ok;
    });
    expect(result).toEqual({ kind: 'unavailable', stage: 'complete' });
    expect(metrics.count('leaseLost', 'callback')).toBe(1);
  });
});
