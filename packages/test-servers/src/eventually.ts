import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

/** How long {@link eventually} waits: a number of tries, not a deadline, so a slow machine only waits longer. */
export interface Patience {
  /** How many times the probe runs before giving up; 200 unless set. */
  readonly tries?: number;
  /** The pause between two tries; 50 ms unless set. */
  readonly intervalMs?: number;
  /** Errors that only mean "not yet" (the database being down, say); every other error fails at once. */
  readonly retryOn?: (error: unknown) => boolean;
}

/** What the probe answers once the condition holds: anything but `undefined` and `false`. */
export type Answer<T> = Exclude<T, undefined | false>;

/**
 * Runs `probe` until it answers, for state that changes by itself (a lease ending, Redis coming
 * back, a log line written). `undefined` and `false` mean "not yet"; any other value is the answer.
 * Bounded, so a broken test fails instead of hanging: after `tries` it gives up with an error naming
 * `what` and the last failure. An error the probe throws fails at once (a probe throws when
 * something is wrong, not when it is unfinished), unless `retryOn` takes it for a "not yet".
 */
export async function eventually<T>(probe: () => T | Promise<T>, what: string, patience: Patience = {}): Promise<Answer<T>> {
  const { tries = 200, intervalMs = 50, retryOn = () => false } = patience;
  let lastFailure: { readonly error: unknown } | { readonly answer: unknown } = { answer: undefined };
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    if (attempt > 1) await sleep(intervalMs);
    try {
      const answer = await probe();
      if (answer !== undefined && answer !== false) return answer as Answer<T>;
      lastFailure = { answer };
    } catch (error) {
      if (!retryOn(error)) throw error;
      lastFailure = { error };
    }
  }
  const last = 'error' in lastFailure ? `the last try failed: ${describe(lastFailure.error)}` : `the last try answered ${inspect(lastFailure.answer)}`;
  throw new Error(`gave up waiting for ${what} after ${tries} tries ${intervalMs} ms apart; ${last}`, 'error' in lastFailure ? { cause: lastFailure.error } : {});
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : inspect(error);
}
