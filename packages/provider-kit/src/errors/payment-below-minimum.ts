/**
 * The invoice would ask for less than the provider's smallest payment: the provider ignores such a
 * payment and the funds are lost, so the invoice is refused at creation (a 422 on the invoice API).
 * The message names the minimum; amounts are exact coin-unit text.
 */
export class PaymentBelowMinimumError extends Error {
  override readonly name = 'PaymentBelowMinimumError';

  constructor(
    readonly provider: string,
    readonly amount: string,
    readonly minimum: string,
    readonly coin: string,
  ) {
    super(`the amount, ${amount} ${coin}, is below ${provider}'s minimum transaction of ${minimum} ${coin}: smaller payments are ignored by ${provider} and the funds lost; invoice at least the minimum`);
  }
}
