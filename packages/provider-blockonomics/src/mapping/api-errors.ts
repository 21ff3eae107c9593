import { JsonSyntaxError, parseJsonExact, ProviderError, providerErrorForStatus, type ProviderHttpResponse } from '@cryptopay/provider-kit';
import { readErrorResponse } from '../wire/api.js';
import { PROVIDER_NAME } from './callback-notification.js';

const GAP_LIMIT_CODES = { min: 1000, max: 1014 };
const GAP_LIMIT_MESSAGE = /gap limit|top ?up|credit/i;
const NO_MATCHING_STORE = /could not find matching xpub/i;

/**
 * Reads a failed Blockonomics answer into an error a merchant can act on. The body decides first
 * (gap limit, store mismatch), the HTTP status otherwise.
 */
export function blockonomicsError(response: ProviderHttpResponse, operation: string): ProviderError {
  const { message, code } = errorBody(response.text);
  const detail = message ?? `HTTP ${response.status}`;
  const details = { httpStatus: response.status };
  if (response.status === 401) {
    return new ProviderError(PROVIDER_NAME, 'auth', `${operation}: the API key was refused (HTTP 401); copy it again from Blockonomics > Stores > API Key`, details);
  }
  if (isGapLimit(code, detail)) {
    return new ProviderError(
      PROVIDER_NAME,
      'gap-limit',
      `${operation}: ${detail} — too many unpaid addresses or no credit left; reuse unpaid invoices, raise the gap limit or top up in Blockonomics > Stores`,
      details,
    );
  }
  if (NO_MATCHING_STORE.test(detail)) {
    return new ProviderError(
      PROVIDER_NAME,
      'rejected',
      `${operation}: no Blockonomics store has this HTTP Callback URL; set the store's callback URL to the exact URL shown in the docs, secret included`,
      details,
    );
  }
  return providerErrorForStatus(PROVIDER_NAME, response.status, `${operation}: ${detail}`);
}

function isGapLimit(code: string | undefined, message: string): boolean {
  const numeric = code !== undefined && /^[0-9]{4}$/.test(code) ? Number.parseInt(code, 10) : NaN;
  return (numeric >= GAP_LIMIT_CODES.min && numeric <= GAP_LIMIT_CODES.max) || GAP_LIMIT_MESSAGE.test(message);
}

/** The error's message and code; a body that is not JSON (an HTML error page) yields neither. */
function errorBody(text: string): { message: string | undefined; code: string | undefined } {
  try {
    const { message, code } = readErrorResponse(parseJsonExact(text));
    return { message: message?.slice(0, 200), code };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { message: undefined, code: undefined };
    throw error;
  }
}
