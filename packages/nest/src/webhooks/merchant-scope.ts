import { type HttpRequest } from '../http/platform.js';
import { principalOf } from '../merchants/request-principal.js';

/**
 * The merchant whose webhooks the API caller manages: its request principal's (a platform token acts
 * as the `default` merchant). The one place that decides it; the routes require `webhooks:manage`.
 */
export function callerMerchant(request: HttpRequest): string {
  return principalOf(request).merchantId;
}
