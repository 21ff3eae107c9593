import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type IdempotencyStore } from '@cryptopay/idempotency';
import { type PaymentsMetrics } from '@cryptopay/nest';
import { type Store } from '@cryptopay/store';
import { Gauge, Histogram } from 'prom-client';

type Next = () => void;
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/**
 * What an operator watches besides the payments counters (docs/operations.md, "Alerts"): every API
 * answer's latency and status, the database pool (connections, queries queued for one) and the
 * idempotency store's round trip, read at each scrape. Returns the middleware that times requests.
 */
export function operatorMetrics(metrics: PaymentsMetrics, store: Store, idempotency: IdempotencyStore): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
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
  return (req, res, next) => {
    const stop = requests.startTimer();
    res.once('finish', () => stop({ method: req.method ?? 'GET', route: routeOf(req as RoutedRequest), status: String(res.statusCode) }));
    next();
  };
}

/** The route's pattern (`/v1/invoices/:id`), never the raw path: ids and query strings would make a series each. */
function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}
