import { ProviderError, ProviderHttpClient, readJsonBody, Secret, type ExactJson, type ProviderHttpResponse } from '@cryptopay/provider-kit';
import { blockonomicsError, SECRET_QUERY_PARAMS } from './mapping/api-errors.js';
import { PROVIDER_NAME } from './mapping/provider-name.js';
import { readNewAddressResponse, readPriceResponse, type NewAddressResponse } from './wire/api.js';
import { type BlockonomicsCrypto } from './wire/constants.js';
import { type HistoryResponse, readHistoryResponse } from './wire/history.js';
import { type WireResult } from '@cryptopay/provider-kit';

export interface BlockonomicsApiConfig {
  readonly apiKey: Secret;
  /** Scrubbed from Blockonomics' error text, which may echo the callback URL. */
  readonly callbackSecret?: Secret;
  readonly apiBaseUrl: string;
  readonly bchApiBaseUrl: string;
  readonly timeoutMs: number;
}

/** The merchant API calls the adapter makes: a new address per invoice and the current price. */
export class BlockonomicsApiClient {
  private readonly clients: Record<BlockonomicsCrypto, ProviderHttpClient>;

  constructor(private readonly config: BlockonomicsApiConfig) {
    const client = (baseUrl: string) =>
      new ProviderHttpClient({ provider: PROVIDER_NAME, baseUrl, timeoutMs: config.timeoutMs, secretParams: SECRET_QUERY_PARAMS });
    this.clients = { BTC: client(config.apiBaseUrl), BCH: client(config.bchApiBaseUrl) };
  }

  /** Not retried: every call hands out a new address, and wasted ones eat into the gap limit. */
  async newAddress(crypto: BlockonomicsCrypto, matchCallback: Secret): Promise<NewAddressResponse> {
    const response = await this.clients[crypto].request({
      method: 'POST',
      path: '/api/new_address',
      query: { match_callback: matchCallback, ...cryptoParam(crypto) },
      headers: { authorization: new Secret(`Bearer ${this.config.apiKey.reveal()}`) },
    });
    return this.read(response, 'new address', readNewAddressResponse);
  }

  /** Fiat per coin as exact JSON text, or null when Blockonomics has no price in that currency. */
  async price(crypto: BlockonomicsCrypto, currency: string): Promise<string | null> {
    const response = await this.clients[crypto].request({ method: 'GET', path: '/api/price', query: { currency, ...cryptoParam(crypto) } });
    return (await this.read(response, 'price', readPriceResponse)).price;
  }

  /**
   * The transactions of one address (`POST /api/searchhistory`), on the host of the address's coin.
   * Not retried here: the history API allows about 2 requests a minute, and the reconciler retries later.
   */
  async searchHistory(crypto: BlockonomicsCrypto, address: string): Promise<HistoryResponse> {
    const response = await this.clients[crypto].request({
      method: 'POST',
      path: '/api/searchhistory',
      headers: { authorization: new Secret(`Bearer ${this.config.apiKey.reveal()}`), 'content-type': 'application/json' },
      body: JSON.stringify({ addr: address }),
    });
    return this.read(response, 'searchhistory', readHistoryResponse);
  }

  private read<T>(response: ProviderHttpResponse, operation: string, reader: (body: ExactJson) => WireResult<T>): T {
    if (response.status !== 200) throw blockonomicsError(response, operation, this.secrets());
    const result = reader(readJsonBody(PROVIDER_NAME, response));
    if (!result.ok) throw new ProviderError(PROVIDER_NAME, 'invalid-response', `${operation}: ${result.problem}`, { httpStatus: 200 });
    return result.value;
  }

  private secrets(): Secret[] {
    const { apiKey, callbackSecret } = this.config;
    return callbackSecret ? [apiKey, callbackSecret] : [apiKey];
  }
}

/**
 * `crypto` for the BTC host only: the BCH host serves BCH alone, and no official client sends it
 * there (Blockonomics' WHMCS plugin removed `crypto=BCH` in 2026).
 */
function cryptoParam(crypto: BlockonomicsCrypto): { crypto?: string } {
  return crypto === 'BTC' ? { crypto } : {};
}
