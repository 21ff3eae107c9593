import { describe, expect, it } from '@jest/globals';
import { eventually } from '../src/index.js';

/** A probe that answers `answers[n]` on its n-th try, counting its tries. */
function scripted<T>(answers: readonly T[]): { probe: () => Promise<T>; tries: () => number } {
  let tries = 0;
  return { probe: async () => answers[Math.min(tries++, answers.length - 1)] as T, tries: () => tries };
}

describe('eventually', () => {
  it('tries again on undefined and false, and resolves with the first other answer', async () => {
    const { probe, tries } = scripted<number | undefined | false>([undefined, false, 0]);
    await expect(eventually(probe, 'a number', { intervalMs: 1 })).resolves.toBe(0);
    expect(tries()).toBe(3);
  });

  it('gives up after its tries, naming what it waited for and the last answer', async () => {
    const { probe, tries } = scripted([false]);
    await expect(eventually(probe, 'the lease to end', { tries: 3, intervalMs: 1 })).rejects.toThrow(
      'gave up waiting for the lease to end after 3 tries 1 ms apart; the last try answered false',
    );
    expect(tries()).toBe(3);
  });

  it('fails at once on an error the probe throws', async () => {
    let tries = 0;
    const probe = async (): Promise<boolean> => {
      tries += 1;
      throw new TypeError('not a store error');
    };
    await expect(eventually(probe, 'Redis to come back', { intervalMs: 1 })).rejects.toThrow(TypeError);
    expect(tries).toBe(1);
  });

  it('takes an error retryOn accepts for a "not yet", and reports the last one as the cause', async () => {
    let tries = 0;
    const probe = async (): Promise<string> => {
      tries += 1;
      throw new Error(`database down (${tries})`);
    };
    const failure = await eventually(probe, 'the database', { tries: 2, intervalMs: 1, retryOn: (error) => error instanceof Error }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('gave up waiting for the database after 2 tries 1 ms apart; the last try failed: database down (2)');
    expect(((failure as Error).cause as Error).message).toBe('database down (2)');
  });
});
