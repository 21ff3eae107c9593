import { hash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/**
 * A secret value (API key, callback secret) that prints as `[redacted]` wherever it ends up:
 * string interpolation, JSON, `console.log`/`util.inspect`, error messages.
 */
export class Secret {
  readonly #value: string;
  /** Hashed once: a comparison then hashes only the candidate. */
  readonly #digest: Buffer;

  constructor(value: string) {
    this.#value = value;
    this.#digest = digestOf(value);
  }

  /** The actual value, for the one place that must send it. */
  reveal(): string {
    return this.#value;
  }

  /** Compares with an untrusted candidate in constant time. */
  matches(candidate: string | undefined | null): boolean {
    return candidate != null && timingSafeEqual(this.#digest, digestOf(candidate));
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}

/**
 * Constant-time string equality: both sides are hashed first so `timingSafeEqual` always
 * compares equal-length digests and the time taken leaks neither content nor length.
 */
export function constantTimeEqual(expected: string, candidate: string): boolean {
  return timingSafeEqual(digestOf(expected), digestOf(candidate));
}

function digestOf(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
