import { type ClientRequest, request as httpRequest } from 'node:http';
import { type DeliveryAttempt, type SimulatedTransaction } from './ledger.js';
import { type SignedDelivery } from './webhook.js';

const MINUTE_MS = 60_000;
const FIRST_RETRY_MINUTES = 6;
const GIVE_UP_AFTER_MINUTES = 3 * 24 * 60;
/** BlockBee waits this long for an answer. */
const ANSWER_TIMEOUT_MS = 30_000;
const MAX_LOGGED_RESPONSE = 200;

/**
 * When BlockBee retries after failed attempt `number` (1-based) made at `attemptedAt`: 6 minutes
 * after the first, doubling each time, times `timeScale`; null once that would be later than
 * 3 days after the transaction.
 */
export function retryAt(number: number, attemptedAt: number, createdAt: number, timeScale: number): number | null {
  const due = attemptedAt + FIRST_RETRY_MINUTES * 2 ** (number - 1) * MINUTE_MS * timeScale;
  return due > createdAt + GIVE_UP_AFTER_MINUTES * MINUTE_MS * timeScale ? null : due;
}

interface Answer {
  readonly status: number | null;
  readonly body: string;
}

/**
 * Sends webhooks like BlockBee: anything but HTTP 200 with body exactly `*ok*` is a failure, retried
 * after 6, 12, 24… minutes (doubling, multiplied by `timeScale`) until the transaction is 3 days old.
 * Retries resend the identical signed request.
 */
export class Deliverer {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private idleWaiters: Array<() => void> = [];
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly timeScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends once now, scheduling retries on failure; resolves with this first attempt. */
  deliver(transaction: SimulatedTransaction, pending: boolean, delivery: SignedDelivery): Promise<DeliveryAttempt> {
    return this.attempt(transaction, pending, delivery, 1);
  }

  /** Resolves when no delivery is in flight and no retry is scheduled. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const request of this.requests) request.destroy();
    this.notifyIfIdle();
  }

  private async attempt(transaction: SimulatedTransaction, pending: boolean, delivery: SignedDelivery, number: number): Promise<DeliveryAttempt> {
    this.inFlight += 1;
    try {
      const answer = await this.send(delivery);
      const acknowledged = answer.status === 200 && answer.body === '*ok*';
      const attempt: DeliveryAttempt = {
        uuid: transaction.uuid,
        pending,
        method: delivery.method,
        requestUrl: delivery.url,
        responseStatus: answer.status,
        response: answer.body.slice(0, MAX_LOGGED_RESPONSE),
        timestamp: new Date(this.now()),
        nextTry: null,
      };
      transaction.attempts.push(attempt);
      if (!pending) transaction.result = acknowledged || transaction.result === 'done' ? 'done' : 'sent';
      if (!acknowledged) this.scheduleRetry(transaction, pending, delivery, number, attempt);
      return attempt;
    } finally {
      this.inFlight -= 1;
      this.notifyIfIdle();
    }
  }

  private scheduleRetry(transaction: SimulatedTransaction, pending: boolean, delivery: SignedDelivery, number: number, attempt: DeliveryAttempt): void {
    const due = retryAt(number, attempt.timestamp.getTime(), transaction.createdAt, this.timeScale);
    if (this.closed || due === null) return;
    attempt.nextTry = new Date(due);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(transaction, pending, delivery, number + 1);
    }, due - attempt.timestamp.getTime());
    this.timers.add(timer);
  }

  private send(delivery: SignedDelivery): Promise<Answer> {
    if (this.closed) return Promise.resolve({ status: null, body: 'simulator closed' });
    const url = new URL(delivery.url);
    // The request target is sent exactly as signed: never re-serialized through the URL parser.
    const path = delivery.url.slice(delivery.url.indexOf('/', url.protocol.length + 2));
    return new Promise((resolve) => {
      const request = httpRequest(
        {
          host: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port,
          method: delivery.method,
          path,
          agent: false,
          timeout: ANSWER_TIMEOUT_MS,
          headers: { ...delivery.headers, 'content-length': String(delivery.body.byteLength), 'user-agent': 'BlockBee simulator' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', (error) => resolve({ status: null, body: error.message }));
        },
      );
      this.requests.add(request);
      request.on('close', () => this.requests.delete(request));
      request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
      request.on('error', (error) => resolve({ status: null, body: error.message }));
      request.end(delivery.body);
    });
  }

  private notifyIfIdle(): void {
    if (this.inFlight !== 0 || this.timers.size !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
