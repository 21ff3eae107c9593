import { type IdempotencyMetrics } from '@cryptopay/idempotency';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The payments module's Prometheus metrics, on a registry of its own (served at `/metrics`). Create
 * one and hand it to both `PaymentsModule` (`metrics`) and `IdempotencyModule` (`metrics.idempotencyHooks()`).
 */
export class PaymentsMetrics {
  readonly registry = new Registry();

  readonly callbacks = new Counter({
    name: 'cryptopay_callbacks_total',
    help: 'Provider callbacks received, by provider and verdict (applied, duplicate, unmatched, rejected, retry-later).',
    labelNames: ['provider', 'verdict'] as const,
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'cryptopay_callback_duplicates_total',
    help: 'Provider callbacks answered from the stored first answer (already applied).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly callbackDuration = new Histogram({
    name: 'cryptopay_callback_duration_seconds',
    help: 'Time from receiving a provider callback to answering it.',
    labelNames: ['provider'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly transitions = new Counter({
    name: 'cryptopay_invoice_transitions_total',
    help: 'Invoice domain events published, by type (invoice.settled, invoice.expired, ...).',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly providerRequestDuration = new Histogram({
    name: 'cryptopay_provider_request_duration_seconds',
    help: 'Time taken to ask a provider for a payment request, by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly idempotency = new Counter({
    name: 'cryptopay_idempotency_events_total',
    help: 'Idempotency guard outcomes, by scope (callback, api-request, store) and event (claimed, replayed, in-flight, mismatch, lease-lost, error-*).',
    labelNames: ['scope', 'event'] as const,
    registers: [this.registry],
  });

  readonly deliveryLogDropped = new Counter({
    name: 'cryptopay_delivery_log_dropped_total',
    help: 'Callback log entries not written, by reason (queue-full, write-failed); the callbacks themselves were processed.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly unloggedRefusals = new Counter({
    name: 'cryptopay_callback_refusals_unlogged_total',
    help: 'Callbacks refused before authentication beyond the logged sample per source IP: counted here, summarised in one log line per interval.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly deliveryLogPruned = new Counter({
    name: 'cryptopay_delivery_log_pruned_total',
    help: 'Callback log entries deleted for being older than the retention.',
    registers: [this.registry],
  });

  readonly sweptInvoices = new Counter({
    name: 'cryptopay_expiry_sweep_invoices_total',
    help: 'Invoices whose status the expiry sweep re-evaluated.',
    registers: [this.registry],
  });

  readonly paymentsFoundByReconciliation = new Counter({
    name: 'cryptopay_payments_found_by_reconciliation_total',
    help: 'Payments the reconciler recorded before any callback did, by provider: above zero, callbacks are not getting through.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly reconciliations = new Counter({
    name: 'cryptopay_reconciliations_total',
    help: 'Invoices reconciled with their provider, by provider and outcome (changed, unchanged, failed, unsupported).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'cryptopay_webhook_attempts_total',
    help: 'Outbound webhook attempts by outcome (delivered, retry, failed, gone: a 410 that disabled the endpoint).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookLatency = new Histogram({
    name: 'cryptopay_webhook_first_attempt_delay_seconds',
    help: 'From an outbound webhook event being written to its first attempt starting.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'cryptopay_' });
  }

  /** The idempotency guard's counters, recorded here. */
  idempotencyHooks(): IdempotencyMetrics {
    const count = (scope: string, event: string): void => void this.idempotency.inc({ scope, event });
    return {
      claimAcquired: (purpose) => count(purpose, 'claimed'),
      duplicateAnswered: (purpose) => count(purpose, 'replayed'),
      inFlightConflict: (purpose) => count(purpose, 'in-flight'),
      fingerprintMismatch: (purpose) => count(purpose, 'mismatch'),
      leaseLost: (purpose) => count(purpose, 'lease-lost'),
      storeError: (operation) => count('store', `error-${operation}`),
    };
  }
}
