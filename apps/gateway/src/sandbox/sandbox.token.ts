/**
 * The running simulators' injection token. A token of its own, not the `SandboxProviders` class: the
 * simulators' code is imported only in sandbox mode, and this file is all the rest of the app needs.
 */
export const SANDBOX_PROVIDERS = Symbol('SANDBOX_PROVIDERS');
