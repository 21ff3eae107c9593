/**
 * BlockBee names a coin by a ticker in two spellings: underscores in parameters and callbacks
 * (`trc20_usdt`), slashes in URL paths (`trc20/usdt`).
 */
const TICKER = /^[a-z0-9]{2,16}(?:_[a-z0-9]{2,16})?$/;

/** Whether `text` is a ticker in its underscore form (`btc`, `trc20_usdt`). */
export function isTicker(text: string): boolean {
  return TICKER.test(text);
}

/** `trc20_usdt` → `trc20/usdt`, for API paths. */
export function tickerToPath(ticker: string): string {
  if (!isTicker(ticker)) throw new TypeError(`"${ticker}" is not a BlockBee ticker like "btc" or "trc20_usdt"`);
  return ticker.replace('_', '/');
}

/** `trc20/usdt` → `trc20_usdt`; null when the path segment is not a ticker. */
export function tickerFromPath(path: string): string | null {
  const ticker = path.replace('/', '_');
  return path.split('/').length <= 2 && isTicker(ticker) ? ticker : null;
}
