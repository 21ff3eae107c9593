/** The `PaymentsStore` the module was configured with (`@cryptopay/store` in the gateway). */
export const PAYMENTS_STORE = Symbol('PAYMENTS_STORE');
/** The `CoinRegistry` invoices are priced and shown with. */
export const COIN_REGISTRY = Symbol('COIN_REGISTRY');
