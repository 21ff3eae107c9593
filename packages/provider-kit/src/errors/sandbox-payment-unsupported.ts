/** A sandbox payment its provider cannot simulate (e.g. Replace-By-Fee, which BlockBee does not report): the caller's mistake, not a failure. */
export class SandboxPaymentUnsupportedError extends Error {
  override readonly name = 'SandboxPaymentUnsupportedError';
}
