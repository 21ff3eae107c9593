/** The module's resolved options (`ResolvedPaymentsOptions`); here, not in the module definition, so the checkout's parts can import it without a cycle. */
export const PAYMENTS_MODULE_OPTIONS = 'PAYMENTS_MODULE_OPTIONS';
/** The `PaymentsStore` the module was configured with (`@cryptopay/store` in the gateway). */
export const PAYMENTS_STORE = Symbol('PAYMENTS_STORE');
/** The `CoinRegistry` invoices are priced and shown with. */
export const COIN_REGISTRY = Symbol('COIN_REGISTRY');
