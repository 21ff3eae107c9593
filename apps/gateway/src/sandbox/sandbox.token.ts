/**
 * The running sandboxes' injection token. A token of its own, not the `SandboxProviders` class: the
 * gateway's sandbox code is imported only in sandbox mode, and this file is all the rest of the app needs.
 */
export const SANDBOX_PROVIDERS = Symbol('SANDBOX_PROVIDERS');
