import { ProviderError } from '../errors/provider-error.js';
import { type ExactJson, JsonSyntaxError, parseJsonExact } from '../json/exact-json.js';
import { type ProviderHttpResponse } from './provider-http-client.js';

/** The response body as exact JSON, or an `invalid-response` error naming the URL (secrets redacted). */
export function readJsonBody(provider: string, response: ProviderHttpResponse): ExactJson {
  try {
    return parseJsonExact(response.text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new ProviderError(
      provider,
      'invalid-response',
      `${response.safeUrl} answered HTTP ${response.status} with a body that is not JSON (${error.message})`,
      { httpStatus: response.status },
    );
  }
}
