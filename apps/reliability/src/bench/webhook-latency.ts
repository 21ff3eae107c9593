import { type WebhookBody, WebhookReceiver } from '@cryptopay/test-servers';
import { type Fleet } from '../harness/fleet.js';
import { inParallel } from '../harness/parallel.js';

export interface WebhookLatency {
  readonly invoices: number;
  /** Milliseconds from the invoice's settlement (its `updatedAt`) to the first attempt of `invoice.settled` reaching the receiver. */
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Settlement-to-first-attempt latency of outbound webhooks: `count` Blockonomics invoices paid and
 * confirmed at once, `parallel` at a time, with one endpoint whose receiver answers 200 at once.
 */
export async function measureWebhookLatency(fleet: Fleet, via: string, count: number, parallel = 8): Promise<WebhookLatency> {
  const receiver = await WebhookReceiver.start();
  try {
    const created = await fetch(`${via}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fleet.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['invoice.settled'] }),
    });
    if (created.status !== 201) throw new Error(`webhook endpoint not created: ${created.status} ${await created.text()}`);
    const invoices = await Promise.all(Array.from({ length: count }, () => fleet.createInvoice('blockonomics', '25.00', via)));
    const dues = await fleet.amountsDue();
    await inParallel(invoices, parallel, async (invoice) => void (await fleet.simulators.blockonomics.pay(invoice.address, dues.get(invoice.id) ?? 0n, { statuses: [2] })));
    const latencies = await firstAttempts(receiver, new Set(invoices.map((invoice) => invoice.id)));
    return { invoices: count, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  } finally {
    await receiver.close();
  }
}

/** Waits (bounded) until each invoice's settled event has arrived, then each one's first attempt's latency. */
async function firstAttempts(receiver: WebhookReceiver, invoiceIds: ReadonlySet<string>): Promise<number[]> {
  const first = new Map<string, number>();
  for (let tries = 0; tries < 1_200 && first.size < invoiceIds.size; tries += 1) {
    for (const webhook of receiver.received) {
      const body = JSON.parse(webhook.body) as WebhookBody;
      const invoice = body.data.invoice as { id: string; updatedAt?: string } | undefined;
      if (!invoice || !invoiceIds.has(invoice.id) || first.has(invoice.id)) continue;
      first.set(invoice.id, webhook.receivedAt - Date.parse(invoice.updatedAt ?? ''));
    }
    if (first.size < invoiceIds.size) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (first.size < invoiceIds.size) throw new Error(`only ${first.size} of ${invoiceIds.size} settled webhooks arrived`);
  return [...first.values()];
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}
