import { ProviderError } from '@cryptopay/provider-kit';
import { PROVIDER_NAME } from '../mapping/provider-name.js';

const WINDOW_MS = 60_000;

/**
 * Blockonomics allows its history API about 2 requests a minute: this instance's budget. Over it, a
 * reconciliation fails at once as `rate-limit` with the seconds until a request is free, without
 * calling Blockonomics; the reconciler tries that invoice again then. Each instance counts its own.
 */
export class HistoryRateLimit {
  private readonly sent: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Takes one request from the budget, or throws the rate-limit error. */
  take(): void {
    const now = this.clock();
    while (this.sent.length > 0 && this.sent[0]! <= now - WINDOW_MS) this.sent.shift();
    if (this.sent.length >= this.perMinute) {
      const waitSeconds = Math.ceil((this.sent[0]! + WINDOW_MS - now) / 1_000);
      throw new ProviderError(PROVIDER_NAME, 'rate-limit', `searchhistory: this instance's budget of ${this.perMinute} request(s) a minute is spent`, {
        retryAfterSeconds: waitSeconds,
      });
    }
    this.sent.push(now);
  }
}
