import {
  type ExactJson,
  ProviderError,
  providerErrorForStatus,
  ProviderHttpClient,
  type ProviderHttpResponse,
  readJsonBody,
  redactProviderText,
  Secret,
} from '@cryptopay/provider-kit';
import {
  type CoinInfoResponse,
  type ConvertResponse,
  type CreateAddressResponse,
  type LogsResponse,
  readCoinInfo,
  readConvert,
  readCreateAddress,
  readErrorEnvelope,
  readLogs,
  readPublicKey,
} from './wire/api.js';
import { NONCE_PARAM, nonceOfCallbackUrl } from './wire/callback-url.js';
import { type WireResult } from '@cryptopay/provider-kit';
import { readJson } from './wire/reading.js';
import { tickerToPath } from './wire/ticker.js';

export const BLOCKBEE_API_URL = 'https://api.blockbee.io';
const PROVIDER = 'blockbee';
const MAX_ERROR_TEXT = 200;
/** Query parameters that carry a secret: in our requests, and in any URL BlockBee echoes back. */
const SECRET_PARAMS = ['apikey', NONCE_PARAM];

export interface BlockBeeApiClientOptions {
  readonly apiKey: Secret;
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
}

export interface CreateAddressInput {
  /** Our callback URL with its invoice id and nonce; sent URL-encoded. */
  readonly callbackUrl: string;
  readonly confirmations: number;
}

/**
 * BlockBee's merchant API. Every failure is a typed {@link ProviderError}: the error envelope
 * `{"status":"error","error":"…"}` is read for its message, and neither the API key nor a
 * callback nonce ever appears in a message (URLs are redacted, echoed text is scrubbed).
 */
export class BlockBeeApiClient {
  private readonly http: ProviderHttpClient;

  constructor(private readonly options: BlockBeeApiClientOptions) {
    this.http = new ProviderHttpClient({
      provider: PROVIDER,
      baseUrl: options.baseUrl ?? BLOCKBEE_API_URL,
      secretParams: SECRET_PARAMS,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    });
  }

  /** Pending and confirmed webhooks, as a JSON POST, with fiat conversions. Same callback URL → same address. */
  createAddress(ticker: string, input: CreateAddressInput): Promise<CreateAddressResponse> {
    const query = {
      callback: input.callbackUrl,
      pending: '1',
      confirmations: String(input.confirmations),
      post: '1',
      json: '1',
      convert: '1',
    };
    return this.get(ticker, 'create', query, readCreateAddress);
  }

  convert(ticker: string, value: string, from: string): Promise<ConvertResponse> {
    return this.get(ticker, 'convert', { value, from }, readConvert);
  }

  /** With `prices=1`: the coin's price in every fiat currency BlockBee supports. */
  coinInfo(ticker: string): Promise<CoinInfoResponse> {
    return this.get(ticker, 'info', { prices: '1' }, readCoinInfo);
  }

  /** What BlockBee recorded for a callback URL, which must be byte-identical to the one used at creation. */
  logs(ticker: string, callbackUrl: string): Promise<LogsResponse> {
    return this.get(ticker, 'logs', { callback: callbackUrl }, readLogs);
  }

  /** BlockBee's current callback signing key (PEM). */
  publicKeyPem(): Promise<string> {
    return this.call('/pubkey/', {}, readPublicKey);
  }

  private get<T>(ticker: string, action: string, query: Record<string, string>, read: (body: ExactJson) => WireResult<T>): Promise<T> {
    return this.call(`/${tickerToPath(ticker)}/${action}/`, query, read);
  }

  private async call<T>(path: string, query: Record<string, string>, reader: (body: ExactJson) => WireResult<T>): Promise<T> {
    const response = await this.http.request({ method: 'GET', path, query: { ...query, apikey: this.options.apiKey } });
    const scrub = (text: string) => this.scrub(text, query.callback);
    if (response.status !== 200) throw this.failure(response, scrub(errorMessageOf(response.text) ?? 'no error envelope in the body'));
    const body = readJsonBody(PROVIDER, response);
    const error = readErrorEnvelope(body);
    if (error !== null) throw this.failure(response, scrub(error));
    const read = reader(body);
    if (read.ok) return read.value;
    throw new ProviderError(PROVIDER, 'invalid-response', `${response.safeUrl} answered an unexpected body: ${scrub(read.problem)}`, {
      httpStatus: response.status,
    });
  }

  /** `detail` is BlockBee's text, already scrubbed. */
  private failure(response: ProviderHttpResponse, detail: string): ProviderError {
    const where = response.safeUrl;
    if (response.status === 200) {
      return new ProviderError(PROVIDER, 'rejected', `${where} refused the request: ${detail}`, { httpStatus: 200 });
    }
    const error = providerErrorForStatus(PROVIDER, response.status, `${detail} (${where})`);
    if (error.kind === 'rejected' && /api ?key/i.test(detail)) {
      return new ProviderError(PROVIDER, 'auth', `the API key was refused (HTTP ${response.status}): ${detail} (${where})`, {
        httpStatus: response.status,
      });
    }
    return error;
  }

  /**
   * BlockBee's text without the API key, the nonce of the callback URL the request carried, or the
   * secret parameters of any URL it echoes; shortened only afterwards, so no secret is cut in half.
   */
  private scrub(text: string, callbackUrl: string | undefined): string {
    const nonce = new Secret(callbackUrl === undefined ? '' : nonceOfCallbackUrl(callbackUrl));
    const safe = redactProviderText(text, [this.options.apiKey, nonce], SECRET_PARAMS);
    return safe.length > MAX_ERROR_TEXT ? `${safe.slice(0, MAX_ERROR_TEXT)}…` : safe;
  }
}

/** The envelope's message of an error answer; null when the body is not the envelope (an HTML 502 page). */
function errorMessageOf(text: string): string | null {
  const body = readJson(text);
  return body.ok ? readErrorEnvelope(body.value) : null;
}
