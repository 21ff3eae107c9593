/** The resolved checkout options (`ResolvedCheckoutOptions`), or null when the checkout is off. */
export const CHECKOUT_OPTIONS = Symbol('CHECKOUT_OPTIONS');
