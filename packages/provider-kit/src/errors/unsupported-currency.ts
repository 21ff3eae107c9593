/**
 * The provider has no price in the invoice's fiat currency, so it cannot quote the invoice: the
 * caller's choice, not an outage (a 422 on the invoice API). The message names the currency and the
 * ones the provider prices, or where the provider lists them when it gave no list.
 */
export class UnsupportedCurrencyError extends Error {
  override readonly name = 'UnsupportedCurrencyError';

  constructor(
    readonly provider: string,
    readonly currency: string,
    /** The currencies the provider prices, as it reported them; empty when it did not say. */
    readonly supported: readonly string[],
    /** Where the provider lists its currencies, for a message without `supported`. */
    listedAt?: string,
  ) {
    const choices = supported.length > 0 ? `it supports ${supported.join(', ')}` : `see ${listedAt ?? `${provider}'s documentation`} for the currencies it supports`;
    super(`${provider} cannot price invoices in ${currency}: ${choices}`);
  }
}
