/** Invoice ids are lower-case UUIDs, as `randomUUID()` makes them; another spelling names no invoice. */
const INVOICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `text` can be one of our invoice ids: nothing else is worth a lookup (nor any byte a store refuses). */
export function isInvoiceId(text: unknown): text is string {
  return typeof text === 'string' && INVOICE_ID.test(text);
}
