import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../errors/provider-error.js';
import { redactSecrets, redactUrl } from '../redaction/redact.js';
import { Secret } from '../redaction/secret.js';
import { retryDelayMs, isRetryableStatus } from './retry-policy.js';

export interface ProviderHttpClientOptions {
  /** Provider name, used in error messages. */
  readonly provider: string;
  readonly baseUrl: string;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts for requests that are safe to repeat. Default 3. */
  readonly maxAttempts?: number;
  /** First backoff delay, doubled on each retry. Default 250 ms. */
  readonly backoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the 429 is returned to the caller. Default 5 s. */
  readonly maxRetryDelayMs?: number;
  /** Responses larger than this are refused as `invalid-response`. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  /** Query parameter names always redacted in messages, besides those passed as {@link Secret}. */
  readonly secretParams?: readonly string[];
}

export type QueryValue = string | Secret | undefined;

export interface ProviderHttpRequest {
  readonly method: 'GET' | 'POST';
  /** Path relative to the base URL, e.g. `/api/price`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly headers?: Readonly<Record<string, string | Secret>>;
  readonly body?: string;
  /** A POST the provider treats idempotently may be retried; GET always is. */
  readonly idempotent?: boolean;
}

export interface ProviderHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The requested URL with its secrets redacted, for messages and logs. */
  readonly safeUrl: string;
}

/**
 * Outbound HTTP to a provider over the global `fetch`: a timeout on every attempt, bounded retries
 * with exponential backoff only when repeating is safe (GET or idempotent requests, on network
 * errors, 429 and 502–504), bounded response size, and secrets redacted from every message.
 * Any HTTP status is returned to the caller, which knows how its provider words errors.
 */
export class ProviderHttpClient {
  private readonly options: Required<ProviderHttpClientOptions>;

  constructor(options: ProviderHttpClientOptions) {
    this.options = {
      timeoutMs: 10_000,
      maxAttempts: 3,
      backoffMs: 250,
      maxRetryDelayMs: 5_000,
      maxResponseBytes: 1024 * 1024,
      secretParams: [],
      ...options,
    };
  }

  async request(request: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    const { url, secrets, secretNames } = this.buildUrl(request);
    const safeUrl = redactUrl(url, [...this.options.secretParams, ...secretNames]);
    const repeatable = request.method === 'GET' || request.idempotent === true;
    const attempts = repeatable ? this.options.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let response: Response;
      try {
        response = await fetch(url, this.init(request));
      } catch (error) {
        if (last) throw this.unreachable(error, safeUrl, attempt, secrets);
        await sleep(retryDelayMs(attempt, this.options.backoffMs, null));
        continue;
      }
      const delay = last || !isRetryableStatus(response.status) ? null : retryDelayMs(attempt, this.options.backoffMs, response.headers.get('retry-after'));
      if (delay === null || delay > this.options.maxRetryDelayMs) {
        return { status: response.status, headers: response.headers, text: await this.readText(response, safeUrl, secrets), safeUrl };
      }
      await response.body?.cancel();
      await sleep(delay);
    }
  }

  private buildUrl(request: ProviderHttpRequest): { url: string; secrets: Secret[]; secretNames: string[] } {
    const url = new URL(request.path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'));
    const secrets: Secret[] = [];
    const secretNames: string[] = [];
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (value instanceof Secret) {
        secrets.push(value);
        secretNames.push(name);
      }
      url.searchParams.append(name, value instanceof Secret ? value.reveal() : value);
    }
    for (const value of Object.values(request.headers ?? {})) if (value instanceof Secret) secrets.push(value);
    return { url: url.href, secrets, secretNames };
  }

  private init(request: ProviderHttpRequest): RequestInit {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      headers[name.toLowerCase()] = value instanceof Secret ? value.reveal() : value;
    }
    return {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs),
    };
  }

  private async readText(response: Response, safeUrl: string, secrets: readonly Secret[]): Promise<string> {
    const declared = declaredLength(response.headers.get('content-length'));
    const limit = this.options.maxResponseBytes;
    if (declared > limit) {
      await response.body?.cancel();
      throw this.tooLarge(safeUrl, response.status);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > limit) throw this.tooLarge(safeUrl, response.status);
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw this.cutOff(error, safeUrl, response.status, secrets);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** The connection ended or timed out while the body was read: the provider may not have answered at all. */
  private cutOff(error: unknown, safeUrl: string, status: number, secrets: readonly Secret[]): ProviderError {
    const message = `the answer from ${safeUrl} (HTTP ${status}) was cut off (${this.failureReason(error)}); check the network and the provider's status page`;
    return new ProviderError(this.options.provider, 'unavailable', redactSecrets(message, secrets), { httpStatus: status });
  }

  private failureReason(error: unknown): string {
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
    return timedOut ? `no answer within ${this.options.timeoutMs} ms` : describeNetworkError(error);
  }

  private tooLarge(safeUrl: string, status: number): ProviderError {
    const limit = this.options.maxResponseBytes;
    return new ProviderError(this.options.provider, 'invalid-response', `the response from ${safeUrl} exceeds ${limit} bytes`, {
      httpStatus: status,
    });
  }

  private unreachable(error: unknown, safeUrl: string, attempts: number, secrets: readonly Secret[]): ProviderError {
    const reason = this.failureReason(error);
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return new ProviderError(
      this.options.provider,
      'unavailable',
      redactSecrets(`could not reach ${safeUrl} (${reason}, ${tries}); check the network and the provider's status page`, secrets),
    );
  }
}

/** A plain whole-number Content-Length; anything else is left to the streamed count. */
function declaredLength(header: string | null): number {
  if (header === null || !/^[0-9]+$/.test(header)) return 0;
  return header.length > 15 ? Number.POSITIVE_INFINITY : Number.parseInt(header, 10);
}

/** fetch's errors may come from another realm (test VMs), so they are read by shape, not instanceof. */
function describeNetworkError(error: unknown): string {
  const failure = error as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (typeof failure?.cause?.code === 'string') return failure.cause.code;
  if (typeof failure?.cause?.message === 'string') return failure.cause.message;
  return typeof failure?.message === 'string' ? failure.message : 'network error';
}
