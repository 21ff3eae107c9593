import { blockbeeWebhook, blockonomicsCallback, type PreparedRequest } from '../harness/callbacks.js';
import { type CreatedInvoice, type Fleet } from '../harness/fleet.js';

/** Existing invoices of both providers, created through the gateway's API before anything is timed. */
export interface Invoices {
  readonly blockbee: CreatedInvoice[];
  readonly blockonomics: CreatedInvoice[];
}

export async function createInvoices(fleet: Fleet, url: string, perProvider: number): Promise<Invoices> {
  const invoices = await fleet.createInvoices(perProvider, url);
  return { blockbee: invoices.filter((invoice) => invoice.provider === 'blockbee'), blockonomics: invoices.filter((invoice) => invoice.provider === 'blockonomics') };
}

/** `count` unique confirmed BlockBee JSON webhooks (a new transaction each), spread over the invoices, signed now. */
export function newBlockbeeWebhooks(fleet: Fleet, invoices: readonly CreatedInvoice[], count: number): PreparedRequest[] {
  return Array.from({ length: count }, (_, index) =>
    blockbeeWebhook(fleet.simulators.blockbee, { address: (invoices[index % invoices.length] as CreatedInvoice).address, valueCoin: '0.00001', pending: false }),
  );
}

/** `count` unique Blockonomics GET callbacks (status 2 of a new transaction each), spread over the invoices. */
export function newBlockonomicsCallbacks(fleet: Fleet, invoices: readonly CreatedInvoice[], count: number): PreparedRequest[] {
  const secret = fleet.simulators.secrets.blockonomicsCallbackSecret;
  return Array.from({ length: count }, (_, index) =>
    blockonomicsCallback(secret, { address: (invoices[index % invoices.length] as CreatedInvoice).address, value: 1_000n, status: 2 }),
  );
}

export function invoiceReads(fleet: Fleet, invoices: Invoices): PreparedRequest[] {
  return [...invoices.blockbee, ...invoices.blockonomics].map((invoice) => ({
    method: 'GET',
    path: `/v1/invoices/${invoice.id}`,
    headers: { authorization: `Bearer ${fleet.token}` },
  }));
}
