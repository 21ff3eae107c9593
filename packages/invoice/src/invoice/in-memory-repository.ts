import { type Invoice } from './invoice.js';
import { InvoiceAlreadyExistsError, InvoiceConcurrencyError, type InvoiceRepository } from './repository.js';
import { nextTimeCheckAt } from './status.js';

/**
 * The repository port in memory, for consumers' unit tests and local runs. Single-process only:
 * its checks are atomic because JavaScript runs one callback at a time, not because of any lock.
 * It stores and returns copies, as a real store would, so callers cannot share state by reference.
 */
export class InMemoryInvoiceRepository implements InvoiceRepository {
  private readonly invoices = new Map<string, Invoice>();

  async create(invoice: Invoice): Promise<void> {
    if (this.invoices.has(invoice.id)) throw new InvoiceAlreadyExistsError(invoice.id, 'id');
    if (this.findStoredByAddress(invoice.provider, invoice.address)) throw new InvoiceAlreadyExistsError(invoice.id, 'address');
    this.invoices.set(invoice.id, structuredClone(invoice));
  }

  async findById(id: string): Promise<Invoice | null> {
    const invoice = this.invoices.get(id);
    return invoice ? structuredClone(invoice) : null;
  }

  async findByOrderId(orderId: string): Promise<Invoice[]> {
    return this.select((invoice) => invoice.orderId === orderId).sort(byCreation).map((invoice) => structuredClone(invoice));
  }

  async findByAddress(provider: string, address: string): Promise<Invoice | null> {
    const invoice = this.findStoredByAddress(provider, address);
    return invoice ? structuredClone(invoice) : null;
  }

  async update(invoice: Invoice): Promise<void> {
    const stored = this.invoices.get(invoice.id);
    const expectedVersion = invoice.version - 1;
    if (!stored || stored.version !== expectedVersion) throw new InvoiceConcurrencyError(invoice.id, expectedVersion);
    this.invoices.set(invoice.id, structuredClone(invoice));
  }

  async findDueForTimeCheck(now: Date, limit: number): Promise<Invoice[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive whole number');
    return this.select((invoice) => isDue(invoice, now))
      .sort((a, b) => dueTime(a) - dueTime(b) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((invoice) => structuredClone(invoice));
  }

  private findStoredByAddress(provider: string, address: string): Invoice | undefined {
    return this.select((invoice) => invoice.provider === provider && invoice.address === address)[0];
  }

  private select(matches: (invoice: Invoice) => boolean): Invoice[] {
    return [...this.invoices.values()].filter(matches);
  }
}

function byCreation(a: Invoice, b: Invoice): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
}

function isDue(invoice: Invoice, now: Date): boolean {
  const due = nextTimeCheckAt(invoice);
  return due !== null && due <= now;
}

function dueTime(invoice: Invoice): number {
  return nextTimeCheckAt(invoice)?.getTime() ?? Number.POSITIVE_INFINITY;
}
