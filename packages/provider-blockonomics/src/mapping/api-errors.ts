import {
  JsonSyntaxError,
  parseJsonExact,
  ProviderError,
  providerErrorForStatus,
  type ProviderHttpResponse,
  redactProviderText,
  type Secret,
} from '@cryptopay/provider-kit';
import { readErrorResponse } from '../wire/api.js';
import { CALLBACK_SECRET_PARAM } from '../wire/constants.js';
import { PROVIDER_NAME } from './provider-name.js';

const GAP_LIMIT_CODES = { min: 1000, max: 1014 };
const GAP_LIMIT_MESSAGE = /gap limit|top ?up|credit/i;
const NO_MATCHING_STORE = /could not find matching xpub/i;
const MAX_DETAIL_LENGTH = 200;
/** Query parameters that carry a secret in any URL Blockonomics may echo back (the callback URL). */
export const SECRET_QUERY_PARAMS = [CALLBACK_SECRET_PARAM, 'match_callback'] as const;

/**
 * Reads a failed Blockonomics answer into an error a merchant can act on. The body decides first
 * (gap limit, store mismatch), the HTTP status otherwise. Blockonomics' text is scrubbed of
 * `secrets` and of URL secrets: it may echo the callback URL, and the message reaches logs and API answers.
 */
export function blockonomicsError(response: ProviderHttpResponse, operation: string, secrets: readonly Secret[]): ProviderError {
  const { message, code } = errorBody(response.text);
  const detail = message === undefined ? `HTTP ${response.status}` : scrub(message, secrets);
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

/** Shortened only after scrubbing, so no part of a secret is left at the cut. */
function scrub(message: string, secrets: readonly Secret[]): string {
  const safe = redactProviderText(message, secrets, SECRET_QUERY_PARAMS);
  return safe.length > MAX_DETAIL_LENGTH ? `${safe.slice(0, MAX_DETAIL_LENGTH)}…` : safe;
}

function isGapLimit(code: string | undefined, message: string): boolean {
  const numeric = code !== undefined && /^[0-9]{4}$/.test(code) ? Number.parseInt(code, 10) : NaN;
  return (numeric >= GAP_LIMIT_CODES.min && numeric <= GAP_LIMIT_CODES.max) || GAP_LIMIT_MESSAGE.test(message);
}

/** The error's message and code; a body that is not JSON (an HTML error page) yields neither. */
function errorBody(text: string): { message: string | undefined; code: string | undefined } {
  try {
    const { message, code } = readErrorResponse(parseJsonExact(text));
    return { message, code };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { message: undefined, code: undefined };
    throw error;
  }
}
