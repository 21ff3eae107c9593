import pg from 'pg';

export interface InvoiceRow {
  readonly id: string;
  readonly provider: string;
  readonly address: string;
  readonly status: string;
  readonly exceptionStatus: string | null;
  /** Base units, exact decimal text. */
  readonly amountDue: string;
}

export interface PaymentRow {
  readonly invoiceId: string;
  readonly txid: string;
  readonly address: string;
  /** Base units, exact decimal text. */
  readonly amount: string;
  readonly state: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Read access to one gateway schema — invoices, the payment ledger, the callback log — straight
 * from PostgreSQL, to judge what the gateways did. Amounts stay decimal text (numeric → text).
 */
export class Ledger {
  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  static connect(databaseUrl: string, schema: string): Ledger {
    if (!IDENTIFIER.test(schema)) throw new Error(`not a schema name: ${schema}`);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: 'cryptopay-reliability' });
    // A scenario may take the server away; an idle client's error must not end the test process.
    pool.on('error', () => undefined);
    return new Ledger(pool, schema);
  }

  async invoices(): Promise<InvoiceRow[]> {
    const { rows } = await this.pool.query<InvoiceRow>(
      `select id, provider, address, status, exception_status as "exceptionStatus", amount_due::text as "amountDue" from ${this.schema}.invoices order by id`,
    );
    return rows;
  }

  /** The outbox's invoice events (webhook_events), with the status of each of their deliveries. */
  async webhookEvents(): Promise<{ id: string; type: string; invoiceId: string; statuses: string[] }[]> {
    const { rows } = await this.pool.query<{ id: string; type: string; invoiceId: string; statuses: string[] }>(
      `select e.id, e.type, e.invoice_id as "invoiceId", coalesce(array_agg(d.status) filter (where d.id is not null), '{}') as statuses
       from ${this.schema}.webhook_events e left join ${this.schema}.webhook_deliveries d on d.event_id = e.id
       where e.invoice_id is not null group by e.id order by e.id`,
    );
    return rows;
  }

  async payments(): Promise<PaymentRow[]> {
    const { rows } = await this.pool.query<PaymentRow>(
      `select invoice_id as "invoiceId", txid, address, amount::text as amount, state from ${this.schema}.payments order by invoice_id, txid, address`,
    );
    return rows;
  }

  /** The states of the ledger rows of one transaction output (empty when nothing is stored). */
  async paymentStates(address: string, txid: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ state: string }>(`select state from ${this.schema}.payments where address = $1 and txid = $2`, [address, txid]);
    return rows.map((row) => row.state);
  }

  /** Invoices and payments as one comparable text, to prove a run changed nothing. */
  async snapshot(): Promise<string> {
    const [invoices, payments] = await Promise.all([
      this.pool.query(`select * from ${this.schema}.invoices order by id`),
      this.pool.query(`select * from ${this.schema}.payments order by invoice_id, txid, address`),
    ]);
    // When the reconciler next looks is scheduling, not state: an authentic callback that was refused
    // brings it forward on purpose (docs/operations.md, "Reconciliation").
    const states = invoices.rows.map(({ next_reconcile_at: _schedule, ...invoice }: Record<string, unknown>) => invoice);
    return JSON.stringify({ invoices: states, payments: payments.rows });
  }

  /** The callback log's verdicts and how often each was given. */
  async verdicts(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ verdict: string; count: string }>(
      `select verdict, count(*)::text as count from ${this.schema}.callback_deliveries group by verdict order by verdict`,
    );
    return Object.fromEntries(rows.map((row) => [row.verdict, Number.parseInt(row.count, 10)]));
  }

  /** Delivery keys logged as `applied` more than once (each delivery must take effect once). */
  /** Callback log entries by how the change came: a provider's `callback`, or the reconciler (`reconcile`). */
  async sources(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ source: string; count: string }>(
      `select source, count(*)::text as count from ${this.schema}.callback_deliveries where verdict = 'applied' group by source order by source`,
    );
    return Object.fromEntries(rows.map((row) => [row.source, Number.parseInt(row.count, 10)]));
  }

  async keysAppliedTwice(): Promise<string[]> {
    const { rows } = await this.pool.query<{ key: string }>(
      `select delivery_key as key from ${this.schema}.callback_deliveries where verdict = 'applied' group by delivery_key having count(*) > 1`,
    );
    return rows.map((row) => row.key);
  }

  /** Every (provider, delivery key) the gateways logged: the idempotency claims they may have left in Redis. */
  async deliveryKeys(): Promise<{ provider: string; deliveryKey: string }[]> {
    const { rows } = await this.pool.query<{ provider: string; deliveryKey: string }>(
      `select distinct provider, delivery_key as "deliveryKey" from ${this.schema}.callback_deliveries where delivery_key is not null`,
    );
    return rows;
  }

  /** The callback log's size on disk: its table, TOAST and indexes, in bytes. */
  async deliveryLogBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>(`select pg_total_relation_size('${this.schema}.callback_deliveries')::text as bytes`);
    return Number(rows[0]?.bytes);
  }

  /** How many entries the callback log holds. */
  async deliveryCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(`select count(*)::text as count from ${this.schema}.callback_deliveries`);
    return Number(rows[0]?.count);
  }

  /** Opens a transaction holding the row lock of one invoice, as a stalled callback would. */
  async lockInvoice(invoiceId: string): Promise<{ backendPid: number; release: () => Promise<void> }> {
    const client = await this.pool.connect();
    await client.query('begin');
    await client.query(`select id from ${this.schema}.invoices where id = $1 for update`, [invoiceId]);
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const release = async (): Promise<void> => {
      await client.query('rollback');
      client.release();
    };
    return { backendPid: rows[0]?.pid ?? -1, release };
  }

  /** Sessions waiting for a lock that the session `pid` holds. */
  async sessionsBlockedBy(pid: number): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>('select count(*)::text as count from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid]);
    return Number.parseInt(rows[0]?.count ?? '0', 10);
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`drop schema if exists ${this.schema} cascade`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
