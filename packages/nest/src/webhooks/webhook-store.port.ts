/**
 * What the payments module needs from a store for outbound webhooks (implemented by
 * `@cryptopay/store`'s `WebhookStore`): endpoints, the outbox's deliveries, claims and attempts.
 */
export interface WebhookStorePort {
  createEndpoint(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  listEndpoints(merchantId: string): Promise<WebhookEndpoint[]>;
  findEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null>;
  updateEndpoint(merchantId: string, id: string, change: WebhookEndpointChange): Promise<WebhookEndpoint | null>;
  deleteEndpoint(merchantId: string, id: string): Promise<boolean>;
  rotateSecret(merchantId: string, id: string, secret: string, previousUntil: Date): Promise<WebhookEndpoint | null>;
  enqueueTest(endpointId: string, event: WebhookEventEntry): Promise<WebhookDelivery | null>;
  findDelivery(merchantId: string, id: string): Promise<WebhookDelivery | null>;
  deliveries(query: WebhookDeliveryQuery): Promise<WebhookDeliveryPage>;
  redeliver(merchantId: string, id: string): Promise<WebhookDelivery | null>;
  claimDue(claim: WebhookClaim): Promise<ClaimedWebhookDelivery[]>;
  recordAttempt(delivery: Pick<ClaimedWebhookDelivery, 'id' | 'claimToken' | 'endpointId'>, result: WebhookAttemptResult): Promise<boolean>;
  prune(before: Date, limit: number): Promise<number>;
}

/** One outbound event, written with the invoice change that caused it (the outbox). */
export interface WebhookEventEntry {
  readonly id: string;
  readonly merchantId: string;
  readonly type: string;
  readonly invoiceId: string | null;
  readonly invoiceVersion: number | null;
  /** The exact bytes every attempt sends and signs. */
  readonly body: string;
  readonly createdAt: Date;
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  readonly events: readonly string[] | null;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousSecretExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewWebhookEndpoint {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  readonly events: readonly string[] | null;
  readonly description: string | null;
  readonly secret: string;
}

export interface WebhookEndpointChange {
  readonly url?: string;
  readonly events?: readonly string[] | null;
  readonly description?: string | null;
  readonly enabled?: boolean;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly type: string;
  readonly invoiceId: string | null;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

export interface WebhookDeliveryQuery {
  readonly merchantId: string;
  readonly endpointId?: string;
  readonly invoiceId?: string;
  readonly status?: WebhookDeliveryStatus;
  readonly before?: string;
  readonly limit: number;
}

export interface WebhookDeliveryPage {
  readonly deliveries: readonly WebhookDelivery[];
  readonly nextCursor: string | null;
}

export interface ClaimedWebhookDelivery {
  readonly id: string;
  readonly claimToken: string;
  readonly attempt: number;
  readonly eventId: string;
  readonly eventCreatedAt: Date;
  readonly body: string;
  readonly endpointId: string;
  readonly url: string;
  readonly secrets: readonly string[];
}

export interface WebhookClaim {
  readonly token: string;
  readonly limit: number;
  readonly perEndpoint: number;
  readonly leaseMs: number;
}

export interface WebhookAttemptResult {
  readonly outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
  readonly nextAttemptAt?: Date;
}
