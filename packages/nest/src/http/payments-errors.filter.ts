import { InvoiceError, MoneyError, StoreQueryError, StoreUnavailableError } from '@cryptopay/invoice';
import { PaymentBelowMinimumError, ProviderError, UnsupportedCurrencyError } from '@cryptopay/provider-kit';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { IdempotencyKeyReusedError, UnsupportedCoinError } from '../invoices/invoice.service.js';
import { UnknownProviderError } from '../providers/provider-registry.js';
import { type HttpRequest, type HttpResponse } from './platform.js';
import { logRefusal } from './refusal-log.js';

const BAD_INPUT = [UnknownProviderError, UnsupportedCoinError, MoneyError, InvoiceError, StoreQueryError];
type Handled =
  | UnknownProviderError
  | UnsupportedCoinError
  | MoneyError
  | InvoiceError
  | StoreQueryError
  | ProviderError
  | StoreUnavailableError
  | HttpException
  | IdempotencyKeyReusedError
  | PaymentBelowMinimumError
  | UnsupportedCurrencyError;

/**
 * API failures as answers a caller can act on; provider messages never carry the API key. Every
 * client error (4xx) is logged with its reason, Nest's own (validation, auth, 404) included.
 */
@Catch(...BAD_INPUT, ProviderError, StoreUnavailableError, HttpException, IdempotencyKeyReusedError, PaymentBelowMinimumError, UnsupportedCurrencyError)
export class PaymentsErrorsFilter implements ExceptionFilter<Handled> {
  private readonly logger = new Logger('Payments');

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  catch(error: Handled, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const req = host.switchToHttp().getRequest<HttpRequest>();
    const reply = (status: number, body: object, retryAfter?: string): void => {
      if (retryAfter !== undefined) this.host.httpAdapter.setHeader(res, 'Retry-After', retryAfter);
      this.host.httpAdapter.reply(res, body, status);
    };
    if (error instanceof HttpException) {
      const [status, body] = httpExceptionAnswer(error, req);
      reply(status, body);
      return;
    }
    if (error instanceof IdempotencyKeyReusedError || error instanceof PaymentBelowMinimumError || error instanceof UnsupportedCurrencyError) {
      logRefusal(req, 422, error.message);
      reply(422, { statusCode: 422, error: 'Unprocessable Entity', message: error.message });
      return;
    }
    if (error instanceof StoreUnavailableError) {
      this.logger.error(error.message);
      reply(503, { statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable; nothing was stored, retry later' }, '5');
      return;
    }
    if (!(error instanceof ProviderError)) {
      logRefusal(req, 400, error.message);
      reply(400, { statusCode: 400, error: 'Bad Request', message: [error.message] });
      return;
    }
    this.logger.warn(`provider request failed (${error.kind}): ${error.message}`);
    const status = error.retryable ? 503 : 502;
    const body = { statusCode: status, error: error.retryable ? 'Service Unavailable' : 'Bad Gateway', provider: error.provider, kind: error.kind, message: advice(error) };
    reply(status, body, error.retryAfterSeconds === null ? undefined : String(error.retryAfterSeconds));
  }
}

/** As Nest answers it (its body, or `{ statusCode, message }` for a string), logged when it is the caller's error. */
function httpExceptionAnswer(error: HttpException, req: HttpRequest): [number, object] {
  const status = error.getStatus();
  const answer = error.getResponse();
  const body = typeof answer === 'string' ? { statusCode: status, message: answer } : answer;
  if (status >= 400 && status < 500) logRefusal(req, status, (body as { message?: string | string[] }).message);
  return [status, body];
}

function advice(error: ProviderError): string {
  switch (error.kind) {
    case 'auth':
      return `${error.message}. Check the provider's API key in the configuration.`;
    case 'gap-limit':
      return `${error.message}. The provider will not hand out more addresses: let unpaid invoices expire, or check the account's credit and gap limit.`;
    case 'rate-limit':
    case 'unavailable':
      return `${error.message}. Nothing was created; retry later.`;
    default:
      return error.message;
  }
}
