import { type Invoice } from './invoice.js';
import { InvoiceAlreadyExistsError, InvoiceConcurrencyError } from './repository-errors.js';
import { DEFAULT_MERCHANT_ID, type InvoiceCreation, type InvoiceIdempotencyKey, type InvoiceRepository, type KeyedInvoice, type StoredInvoice } from './repository.js';
import { nextTimeCheckAt } from './status.js';

/** What is kept per invoice: the stored invoice and, when an API caller's key created it, that key. */
interface Entry {
  readonly invoice: StoredInvoice;
  readonly key: InvoiceIdempotencyKey | null;
}

/**
 * The repository port in memory, for consumers' unit tests and local runs. Single-process only:
 * its checks are atomic because JavaScript runs one callback at a time, not because of any lock.
 * It stores and returns copies, as a real store would, so callers cannot share state by reference.
 */
export class InMemoryInvoiceRepository implements InvoiceRepository {
  private readonly entries = new Map<string, Entry>();

  async create(invoice: Invoice, creation: InvoiceCreation = {}): Promise<void> {
    this.insert(invoice, creation, null);
  }

  async createOnce(invoice: Invoice, creation: InvoiceCreation, key: InvoiceIdempotencyKey): Promise<KeyedInvoice | null> {
    const holder = await this.findByIdempotencyKey(key.caller, key.key);
    if (holder) return holder;
    this.insert(invoice, creation, key);
    return null;
  }

  async findByIdempotencyKey(caller: string, key: string): Promise<KeyedInvoice | null> {
    const entry = this.select((each) => each.key?.caller === caller && each.key.key === key)[0];
    return entry?.key ? { invoice: structuredClone(entry.invoice), fingerprint: entry.key.fingerprint } : null;
  }

  async findById(id: string): Promise<StoredInvoice | null> {
    return copyOf(this.entries.get(id));
  }

  async findByOrderId(orderId: string): Promise<StoredInvoice[]> {
    return this.select((entry) => entry.invoice.orderId === orderId)
      .sort((a, b) => byCreation(a.invoice, b.invoice))
      .map((entry) => structuredClone(entry.invoice));
  }

  async findByAddress(provider: string, address: string, providerAccountId: string | null = null): Promise<StoredInvoice | null> {
    return copyOf(this.findStoredByAddress(provider, address, providerAccountId));
  }

  async update(invoice: Invoice): Promise<void> {
    const stored = this.entries.get(invoice.id);
    const expectedVersion = invoice.version - 1;
    if (!stored || stored.invoice.version !== expectedVersion) throw new InvoiceConcurrencyError(invoice.id, expectedVersion);
    // What was fixed at creation stays.
    this.entries.set(invoice.id, { ...stored, invoice: structuredClone({ ...invoice, ...creationFacts(stored.invoice) }) });
  }

  async findDueForTimeCheck(now: Date, limit: number): Promise<StoredInvoice[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive whole number');
    return this.select((entry) => isDue(entry.invoice, now))
      .map((entry) => entry.invoice)
      .sort((a, b) => dueTime(a) - dueTime(b) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((invoice) => structuredClone(invoice));
  }

  private insert(invoice: Invoice, creation: InvoiceCreation, key: InvoiceIdempotencyKey | null): void {
    if (this.entries.has(invoice.id)) throw new InvoiceAlreadyExistsError(invoice.id, 'id');
    const providerAccountId = creation.providerAccountId ?? null;
    if (this.findStoredByAddress(invoice.provider, invoice.address, providerAccountId)) throw new InvoiceAlreadyExistsError(invoice.id, 'address');
    const stored: StoredInvoice = {
      ...invoice,
      minimumPayment: creation.minimumPayment ?? null,
      redirectUrl: creation.redirectUrl ?? null,
      merchantId: creation.merchantId ?? DEFAULT_MERCHANT_ID,
      providerAccountId,
    };
    this.entries.set(invoice.id, { invoice: structuredClone(stored), key: key && { ...key } });
  }

  private findStoredByAddress(provider: string, address: string, providerAccountId: string | null): Entry | undefined {
    return this.select((entry) => entry.invoice.provider === provider && entry.invoice.address === address && entry.invoice.providerAccountId === providerAccountId)[0];
  }

  private select(matches: (entry: Entry) => boolean): Entry[] {
    return [...this.entries.values()].filter(matches);
  }
}

/** What is fixed when the invoice is created, kept by every update. */
function creationFacts(stored: StoredInvoice): Pick<StoredInvoice, 'minimumPayment' | 'redirectUrl' | 'merchantId' | 'providerAccountId'> {
  return { minimumPayment: stored.minimumPayment, redirectUrl: stored.redirectUrl, merchantId: stored.merchantId, providerAccountId: stored.providerAccountId };
}

function copyOf(entry: Entry | undefined): StoredInvoice | null {
  return entry ? structuredClone(entry.invoice) : null;
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
