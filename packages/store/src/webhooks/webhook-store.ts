import { type Kysely, type Selectable, sql } from 'kysely';
import { guard } from '../database/failures.js';
import { type StoreDatabase, type WebhookDeliveryStatus, type WebhookEndpointsTable } from '../database/schema.js';
import { type WebhookEventEntry } from './webhook-outbox.js';

/** An endpoint as stored, secrets included (the API shows them only on creation and rotation). */
export interface WebhookEndpoint {
  readonly id: string;
  readonly merchantId: string;
  readonly url: string;
  /** Null: every event type. */
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
  /** Only deliveries older than this id (a previous page's `nextCursor`). */
  readonly before?: string;
  readonly limit: number;
}

export interface WebhookDeliveryPage {
  readonly deliveries: readonly WebhookDelivery[];
  readonly nextCursor: string | null;
}

/** A delivery an instance has claimed: run one attempt, then {@link WebhookStore.recordAttempt} with its token. */
export interface ClaimedWebhookDelivery {
  readonly id: string;
  readonly claimToken: string;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly eventId: string;
  /** When the event was written (its invoice change committed). */
  readonly eventCreatedAt: Date;
  readonly body: string;
  readonly endpointId: string;
  readonly url: string;
  /** The secrets that sign this attempt: the current one, and the previous one during its grace period. */
  readonly secrets: readonly string[];
}

export interface WebhookClaim {
  readonly token: string;
  /** Deliveries per claim, across endpoints. */
  readonly limit: number;
  /** Attempts in flight per endpoint, across every instance. */
  readonly perEndpoint: number;
  /** How long the claim holds; past it another instance may claim the delivery again. */
  readonly leaseMs: number;
}

/** What one attempt came to. */
export interface WebhookAttemptResult {
  readonly outcome: 'delivered' | 'retry' | 'failed' | 'gone';
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: Date;
  /** When to try again (`retry` only). */
  readonly nextAttemptAt?: Date;
}

type EndpointRow = Selectable<WebhookEndpointsTable>;

const CURSOR = /^[1-9][0-9]{0,17}$/;

/**
 * Outbound webhooks in PostgreSQL or PGlite: endpoints, the outbox's events and deliveries, claims
 * with `SKIP LOCKED` (every instance dispatches; no two run one attempt at once), attempts and their
 * pruning. Redis is never the record of an undelivered event.
 */
export class WebhookStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async createEndpoint(endpoint: NewWebhookEndpoint, now: Date = new Date()): Promise<WebhookEndpoint> {
    const row = await guard(() =>
      this.db
        .insertInto('webhook_endpoints')
        .values({
          id: endpoint.id,
          merchant_id: endpoint.merchantId,
          url: endpoint.url,
          events: eventsColumn(endpoint.events),
          description: endpoint.description,
          enabled: true,
          disabled_reason: null,
          secret: endpoint.secret,
          previous_secret: null,
          previous_secret_expires_at: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return toEndpoint(row);
  }

  async listEndpoints(merchantId: string): Promise<WebhookEndpoint[]> {
    const rows = await guard(() => this.db.selectFrom('webhook_endpoints').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at').orderBy('id').execute());
    return rows.map(toEndpoint);
  }

  async findEndpoint(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = await guard(() => this.db.selectFrom('webhook_endpoints').selectAll().where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst());
    return row ? toEndpoint(row) : null;
  }

  /** Null when the merchant has no such endpoint. Enabling clears the reason it was disabled. */
  async updateEndpoint(merchantId: string, id: string, change: WebhookEndpointChange, now: Date = new Date()): Promise<WebhookEndpoint | null> {
    const row = await guard(() =>
      this.db
        .updateTable('webhook_endpoints')
        .set({
          ...(change.url === undefined ? {} : { url: change.url }),
          ...(change.events === undefined ? {} : { events: eventsColumn(change.events) }),
          ...(change.description === undefined ? {} : { description: change.description }),
          ...(change.enabled === undefined ? {} : { enabled: change.enabled, disabled_reason: change.enabled ? null : 'disabled by the API' }),
          updated_at: now,
        })
        .where('merchant_id', '=', merchantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),
    );
    return row ? toEndpoint(row) : null;
  }

  /** Deletes the endpoint with its deliveries and their attempts; false when there was none. */
  async deleteEndpoint(merchantId: string, id: string): Promise<boolean> {
    const result = await guard(() => this.db.deleteFrom('webhook_endpoints').where('merchant_id', '=', merchantId).where('id', '=', id).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }

  /** The new secret signs from now on; the one it replaces signs beside it until `previousUntil`. */
  async rotateSecret(merchantId: string, id: string, secret: string, previousUntil: Date, now: Date = new Date()): Promise<WebhookEndpoint | null> {
    const row = await guard(() =>
      this.db
        .updateTable('webhook_endpoints')
        .set((eb) => ({
          previous_secret: eb.ref('secret'),
          previous_secret_expires_at: previousUntil,
          secret,
          updated_at: now,
        }))
        .where('merchant_id', '=', merchantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),
    );
    return row ? toEndpoint(row) : null;
  }

  /** A `webhook.test` event with one delivery, to this endpoint only, due at once; null when there is no such endpoint. */
  async enqueueTest(endpointId: string, event: WebhookEventEntry): Promise<WebhookDelivery | null> {
    return guard(() =>
      this.db.transaction().execute(async (trx) => {
        const endpoint = await trx.selectFrom('webhook_endpoints').select('id').where('id', '=', endpointId).where('merchant_id', '=', event.merchantId).executeTakeFirst();
        if (!endpoint) return null;
        await trx
          .insertInto('webhook_events')
          .values({ id: event.id, merchant_id: event.merchantId, type: event.type, invoice_id: null, invoice_version: null, body: event.body, created_at: event.createdAt })
          .execute();
        const { id } = await trx
          .insertInto('webhook_deliveries')
          .values({ event_id: event.id, endpoint_id: endpointId, status: 'pending', attempts: 0, next_attempt_at: sql<Date>`now()`, created_at: sql<Date>`now()` })
          .returning('id')
          .executeTakeFirstOrThrow();
        return new WebhookStore(trx).findDelivery(event.merchantId, id);
      }),
    );
  }

  async findDelivery(merchantId: string, id: string): Promise<WebhookDelivery | null> {
    if (!CURSOR.test(id)) return null;
    const [delivery] = await this.listDeliveries({ merchantId, limit: 1, at: id });
    return delivery ?? null;
  }

  /** Newest first, `limit` at most, with the cursor of the next page. */
  async deliveries(query: WebhookDeliveryQuery): Promise<WebhookDeliveryPage> {
    if (query.before !== undefined && !CURSOR.test(query.before)) return { deliveries: [], nextCursor: null };
    const rows = await this.listDeliveries({ ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { deliveries: page, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /**
   * Makes the delivery due again at once — a new attempt with the same `webhook-id` — whatever its
   * status; an attempt in flight finishes first. Null when the merchant has no such delivery.
   */
  async redeliver(merchantId: string, id: string): Promise<WebhookDelivery | null> {
    if (!CURSOR.test(id)) return null;
    const updated = await guard(() =>
      this.db
        .updateTable('webhook_deliveries as d')
        .set({ status: 'pending', next_attempt_at: sql<Date>`greatest(now(), coalesce(d.lease_until, now()))` })
        .where('d.id', '=', id)
        .where((eb) => eb.exists(eb.selectFrom('webhook_endpoints as ep').select('ep.id').whereRef('ep.id', '=', 'd.endpoint_id').where('ep.merchant_id', '=', merchantId)))
        .executeTakeFirst(),
    );
    return updated.numUpdatedRows > 0n ? this.findDelivery(merchantId, id) : null;
  }

  /**
   * Claims due deliveries of enabled endpoints for one attempt each, in one statement: each
   * endpoint's row is locked while it is claimed (`FOR NO KEY UPDATE SKIP LOCKED`, which does not
   * stop the outbox inserting deliveries for it), at most `perEndpoint` attempts are in flight per
   * endpoint, and a delivery is claimed only while still due (rechecked on the row's latest version),
   * so two instances never run one attempt at once. A claim holds for `leaseMs`: an instance that
   * dies mid-attempt leaves the delivery due again when its lease ends.
   */
  async claimDue(claim: WebhookClaim): Promise<ClaimedWebhookDelivery[]> {
    const lease = `${claim.leaseMs} milliseconds`;
    const { rows } = await guard(() =>
      sql<ClaimRow>`
        with ready as (
          select ep.id,
            (select count(*) from webhook_deliveries f
              where f.endpoint_id = ep.id and f.status = 'pending' and f.lease_until > now())::int as busy
          from webhook_endpoints ep
          where ep.enabled and exists (
            select 1 from webhook_deliveries d where d.endpoint_id = ep.id and d.status = 'pending' and d.next_attempt_at <= now())
          -- The endpoint waiting longest first, so that none starves behind busier ones.
          order by (select min(d.next_attempt_at) from webhook_deliveries d where d.endpoint_id = ep.id and d.status = 'pending')
          limit ${claim.limit}
          for no key update of ep skip locked
        ),
        picked as (
          select due.id from ready cross join lateral (
            select d.id from webhook_deliveries d
            where d.endpoint_id = ready.id and d.status = 'pending' and d.next_attempt_at <= now()
            order by d.next_attempt_at
            limit greatest(0, ${claim.perEndpoint} - ready.busy)
          ) due
          limit ${claim.limit}
        )
        update webhook_deliveries d
        set attempts = d.attempts + 1, lease_until = now() + ${lease}::interval,
          next_attempt_at = now() + ${lease}::interval, claim_token = ${claim.token}
        from picked, webhook_events e, webhook_endpoints ep
        where d.id = picked.id and e.id = d.event_id and ep.id = d.endpoint_id
          and d.status = 'pending' and d.next_attempt_at <= now()
        returning d.id::text as id, d.attempts, e.id as event_id, e.created_at as event_created_at, e.body, ep.id as endpoint_id, ep.url, ep.secret,
          case when ep.previous_secret_expires_at > now() then ep.previous_secret end as previous_secret`.execute(this.db),
    );
    return rows.map((row) => ({
      id: row.id,
      claimToken: claim.token,
      attempt: row.attempts,
      eventId: row.event_id,
      eventCreatedAt: row.event_created_at,
      body: row.body,
      endpointId: row.endpoint_id,
      url: row.url,
      secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    }));
  }

  /**
   * Records one attempt and what it leads to, in one statement, only if the claim is still this
   * one's: the attempt's row, the delivery's status and, on `gone` (410), the endpoint disabled.
   * False when the claim was lost (its lease ended and another instance claimed the delivery).
   */
  async recordAttempt(delivery: Pick<ClaimedWebhookDelivery, 'id' | 'claimToken' | 'endpointId'>, result: WebhookAttemptResult): Promise<boolean> {
    const status: WebhookDeliveryStatus = result.outcome === 'delivered' ? 'delivered' : result.outcome === 'retry' ? 'pending' : 'failed';
    const nextAttemptAt = result.outcome === 'retry' ? (result.nextAttemptAt ?? result.attemptedAt) : null;
    const deliveredAt = result.outcome === 'delivered' ? result.attemptedAt : null;
    const { rows } = await guard(() =>
      sql<{ recorded: number }>`
        with recorded as (
          update webhook_deliveries set status = ${status}, next_attempt_at = ${nextAttemptAt}, lease_until = null, claim_token = null,
            last_response_status = ${result.responseStatus}, last_error = ${result.error},
            delivered_at = coalesce(${deliveredAt}::timestamptz, delivered_at)
          where id = ${delivery.id} and claim_token = ${delivery.claimToken}
          returning id
        ),
        attempt as (
          insert into webhook_attempts (delivery_id, attempted_at, response_status, error, duration_ms)
          select recorded.id, ${result.attemptedAt}, ${result.responseStatus}, ${result.error}, ${result.durationMs} from recorded
        ),
        gone as (
          update webhook_endpoints set enabled = false, disabled_reason = 'the endpoint answered 410 Gone', updated_at = now()
          where ${result.outcome === 'gone'} and id = ${delivery.endpointId} and exists (select 1 from recorded)
        )
        select count(*)::int as recorded from recorded`.execute(this.db),
    );
    return rows[0]?.recorded === 1;
  }

  /**
   * Deletes what is older than `before`: attempts, and events whose deliveries are all finished
   * (with their deliveries). At most `limit` of each per call; returns how many events went.
   */
  async prune(before: Date, limit: number): Promise<number> {
    return guard(async () => {
      await sql`delete from webhook_attempts where id in (
        select id from webhook_attempts where attempted_at < ${before} limit ${limit})`.execute(this.db);
      const result = await sql`delete from webhook_events where id in (
        select e.id from webhook_events e where e.created_at < ${before}
          and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
        limit ${limit})`.execute(this.db);
      return Number(result.numAffectedRows ?? 0n);
    });
  }

  private async listDeliveries(query: Omit<WebhookDeliveryQuery, 'before'> & { readonly before?: string; readonly at?: string }): Promise<WebhookDelivery[]> {
    const rows = await guard(() => {
      let select = this.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .innerJoin('webhook_endpoints as ep', 'ep.id', 'd.endpoint_id')
        .select([
          sql<string>`d.id::text`.as('id'),
          'd.endpoint_id',
          'd.event_id',
          'e.type',
          'e.invoice_id',
          'd.status',
          'd.attempts',
          'd.last_response_status',
          'd.last_error',
          'd.next_attempt_at',
          'd.created_at',
          'd.delivered_at',
        ])
        .where('ep.merchant_id', '=', query.merchantId);
      if (query.at !== undefined) select = select.where('d.id', '=', query.at as never);
      if (query.endpointId !== undefined) select = select.where('d.endpoint_id', '=', query.endpointId);
      if (query.invoiceId !== undefined) select = select.where('e.invoice_id', '=', query.invoiceId);
      if (query.status !== undefined) select = select.where('d.status', '=', query.status);
      if (query.before !== undefined) select = select.where('d.id', '<', query.before as never);
      return select.orderBy('d.id', 'desc').limit(query.limit).execute();
    });
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
      type: row.type,
      invoiceId: row.invoice_id,
      status: row.status,
      attempts: row.attempts,
      lastResponseStatus: row.last_response_status,
      lastError: row.last_error,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
    }));
  }
}

interface ClaimRow {
  readonly id: string;
  readonly attempts: number;
  readonly event_id: string;
  readonly event_created_at: Date;
  readonly body: string;
  readonly endpoint_id: string;
  readonly url: string;
  readonly secret: string;
  readonly previous_secret: string | null;
}

/** SQL null for every type (not JSON `null`, which the outbox's `events is null` would not match). */
function eventsColumn(events: readonly string[] | null): string | null {
  return events === null ? null : JSON.stringify(events);
}

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
