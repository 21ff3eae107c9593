/**
 * A sandbox payment for an address its simulator never handed out: the simulators keep their state in
 * memory, so after a restart they no longer know the invoices made before it. The caller's to fix (a
 * new invoice), not a failure.
 */
export class SandboxStateLostError extends Error {
  override readonly name = 'SandboxStateLostError';

  constructor(provider: string, address: string) {
    super(`the ${provider} sandbox no longer knows address ${address.slice(0, 100)}: its simulator keeps no state across restarts, so create a new invoice to pay`);
  }
}
