import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { nextAttemptAt } from './retry-schedule.js';
import { type ResolvedWebhookOptions } from './webhook.options.js';
import { WebhookSender, type SendResult } from './webhook-sender.js';
import { signatureHeaders } from './webhook-signature.js';
import { type ClaimedWebhookDelivery, type WebhookAttemptResult } from './webhook-store.port.js';

/** Attempts this instance runs at once, across endpoints. */
const MAX_IN_FLIGHT = 32;
/** How long shutdown lets attempts in flight finish before cutting them short (they are attempted again at once). */
const SHUTDOWN_GRACE_MS = 2_000;
/** How often finished events older than the retention are pruned, and how many per statement. */
const PRUNE_INTERVAL_MS = 3_600_000;
const PRUNE_BATCH = 1_000;

/**
 * Delivers the outbox's webhooks from every instance. It claims due deliveries from the store
 * (`SKIP LOCKED`, at most a few in flight per endpoint across instances), runs one attempt each
 * concurrently — no order, so a failing delivery never holds back later ones — and records what
 * came of it: delivered on a 2xx within the time limit, else due again by the retry schedule, or
 * `failed` once it is used up; a 410 disables the endpoint. It polls, and is woken at once by this
 * instance's commits.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly options: ResolvedWebhookOptions;
  private readonly sender: WebhookSender;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(PAYMENTS_MODULE_OPTIONS) options: ResolvedPaymentsOptions,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
  ) {
    this.options = options.webhooks;
    this.sender = new WebhookSender(this.options.allowPrivateNetworks, this.options.timeoutMs);
  }

  onApplicationBootstrap(): void {
    if (!this.options.dispatch) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Before the store closes: lets the attempts in flight finish for a moment, then cuts the rest
   * short and records them as due again at once, for another instance (delivered at least once).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.claiming;
    const finished = Promise.all(this.inFlight);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (grace = setTimeout(resolve, SHUTDOWN_GRACE_MS)))]);
    clearTimeout(grace);
    this.sender.close();
    await finished;
  }

  /** Looks for due deliveries now (again once the current look ends, if one is running). */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimAndSend()
      .catch((error: unknown) => this.logger.warn(`claiming webhook deliveries failed, retrying: ${String(error)}`))
      .finally(() => {
        this.claiming = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async claimAndSend(): Promise<void> {
    await this.pruneNowAndThen();
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0) return;
    const claimed = await this.store.webhooks.claimDue({
      token: randomUUID(),
      limit: room,
      perEndpoint: this.options.maxInFlightPerEndpoint,
      leaseMs: this.options.leaseMs,
    });
    for (const delivery of claimed) {
      const attempt = this.attempt(delivery).finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
      this.inFlight.add(attempt);
    }
  }

  private async attempt(delivery: ClaimedWebhookDelivery): Promise<void> {
    const attemptedAt = new Date();
    if (delivery.attempt === 1) this.metrics.webhookLatency.observe(Math.max(0, attemptedAt.getTime() - delivery.eventCreatedAt.getTime()) / 1000);
    const headers = signatureHeaders(delivery.eventId, delivery.body, delivery.secrets, attemptedAt);
    const started = performance.now();
    const sent = await this.sender.send(delivery.url, headers, delivery.body);
    const result = this.resultOf(delivery, sent, attemptedAt, Math.round(performance.now() - started));
    this.metrics.webhookAttempts.inc({ outcome: result.outcome });
    try {
      const recorded = await this.store.webhooks.recordAttempt(delivery, result);
      if (!recorded) this.logger.warn(`webhook delivery ${delivery.id}: its claim ended before the attempt was recorded; it will be attempted again`);
    } catch (error) {
      // Not recorded: the lease ends and the delivery is attempted again (at least once).
      this.logger.warn(`webhook delivery ${delivery.id}: recording attempt ${delivery.attempt} failed: ${String(error)}`);
    }
    if (result.outcome === 'gone') this.logger.warn(`webhook endpoint ${delivery.endpointId} answered 410 Gone and is disabled`);
  }

  private resultOf(delivery: ClaimedWebhookDelivery, sent: SendResult, attemptedAt: Date, durationMs: number): WebhookAttemptResult {
    const responseStatus = 'status' in sent ? sent.status : null;
    const error = 'error' in sent ? sent.error : responseStatus !== null && (responseStatus < 200 || responseStatus > 299) ? `answered ${responseStatus}` : null;
    const base = { responseStatus, error, durationMs, attemptedAt };
    if (responseStatus !== null && responseStatus >= 200 && responseStatus <= 299) return { ...base, outcome: 'delivered' };
    if (responseStatus === 410) return { ...base, outcome: 'gone' };
    // Not the endpoint's failure: due again at once, for an instance that is not shutting down.
    if (WebhookSender.abortedAtShutdown(sent)) return { ...base, outcome: 'retry', nextAttemptAt: new Date() };
    const next = nextAttemptAt(this.options.retryScheduleMs, delivery.attempt, new Date());
    return next ? { ...base, outcome: 'retry', nextAttemptAt: next } : { ...base, outcome: 'failed' };
  }

  /** Any instance may prune; deleting what another already deleted costs nothing. */
  private async pruneNowAndThen(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_INTERVAL_MS) return;
    this.lastPrune = now;
    const before = new Date(now - this.options.retentionDays * 86_400_000);
    try {
      await this.store.webhooks.prune(before, PRUNE_BATCH);
    } catch (error) {
      this.logger.warn(`pruning webhook events failed, trying again later: ${String(error)}`);
    }
  }
}
