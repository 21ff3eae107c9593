import { fingerprintOf, type IdempotencyGuardService, IdempotencyKey, type GuardResult, type StoredOutcome } from '../../src/index.js';
import { Gate } from './gate.js';

/** A provider callback's answer, as the callback pipeline stores it. */
export const acknowledged: StoredOutcome = { status: 200, headers: { 'content-type': 'text/plain' }, body: '*ok*' };
export const fingerprint = fingerprintOf('payload');

/** A new BlockBee delivery key on every call, named `<prefix>-<n>`. */
export function deliveryKeys(prefix: string): () => IdempotencyKey {
  let delivery = 0;
  return () => IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: `${prefix}-${(delivery += 1)}` });
}

/** Runs the guard with a handler that finishes only after `stop` (the store's outage) began under it. */
export async function runAcrossOutage(guard: IdempotencyGuardService, key: IdempotencyKey, stop: () => Promise<void>, finish: () => StoredOutcome): Promise<GuardResult> {
  const handlerRunning = new Gate();
  const outageBegan = new Gate();
  const run = guard.run(key, fingerprint, async () => {
    handlerRunning.open();
    await outageBegan.opened;
    return finish();
  });
  await handlerRunning.opened;
  await stop();
  outageBegan.open();
  return run;
}
