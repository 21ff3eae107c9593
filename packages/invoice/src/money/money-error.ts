export type MoneyErrorCode =
  | 'not-a-number'
  | 'negative'
  | 'exponent'
  | 'too-precise'
  | 'too-large'
  | 'zero'
  | 'unknown-coin'
  | 'unknown-currency';

/** A typed rejection of an amount, coin or currency; the message is safe to show to an API caller. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';

  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Quotes untrusted text for an error message without letting it flood a log line. */
export function quoteInput(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
