import { type IdempotencyStore } from '@cryptopay/idempotency';
import { type PaymentsMetrics } from '@cryptopay/nest';
import { type Store } from '@cryptopay/store';
import { type onResponseHookHandler } from 'fastify';
import { Gauge, Histogram } from 'prom-client';

/**
 * What an operator watches besides the payments counters (docs/operations.md, "Alerts"): every API
 * answer's latency and status, the database pool (connections, queries queued for one) and the
 * idempotency store's round trip, read at each scrape. Returns the `onResponse` hook that times requests.
 */
export function operatorMetrics(metrics: PaymentsMetrics, store: Store, idempotency: IdempotencyStore): onResponseHookHandler {
  const registers = [metrics.registry];
  const requests = new Histogram({
    name: 'cryptopay_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  new Gauge({
    name: 'cryptopay_db_pool_connections',
    help: 'Database pool connections by state (total, idle) and queries waiting for a connection (waiting).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const usage = store.poolUsage();
      if (!usage) return;
      for (const [state, value] of Object.entries(usage)) this.set({ state }, value);
    },
  });
  new Gauge({
    name: 'cryptopay_idempotency_store_ping_seconds',
    help: 'Round trip of a ping to the idempotency store (Redis) at scrape time; -1 when it failed.',
    registers,
    async collect() {
      const started = process.hrtime.bigint();
      const ok = await idempotency.ping().then(
        () => true,
        () => false,
      );
      this.set(ok ? Number(process.hrtime.bigint() - started) / 1e9 : -1);
    },
  });
  return (request, reply, done) => {
    // The route's pattern (`/v1/invoices/:id`), never the raw path: ids and query strings would make a series each.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1_000);
    done();
  };
}
