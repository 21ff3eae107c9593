/** The rules an invoice is held to; explicit values with BTCPay's defaults. */
export interface InvoicePolicy {
  /** How long the quote is valid. */
  readonly expiryMinutes: number;
  /** How long after expiry payments are still watched (late and unconfirmed ones). */
  readonly monitoringMinutes: number;
  /** Underpayment accepted as paid, as an exact decimal percent string ("0", "0.5"). */
  readonly tolerancePercent: string;
  /** Whether provider test payments (test bench, sandbox) count toward this invoice. */
  readonly allowTestPayments: boolean;
}

export const DEFAULT_INVOICE_POLICY: InvoicePolicy = Object.freeze({
  expiryMinutes: 15,
  monitoringMinutes: 24 * 60,
  tolerancePercent: '0',
  allowTestPayments: false,
});
