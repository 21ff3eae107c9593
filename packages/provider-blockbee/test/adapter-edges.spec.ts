import { createServer } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { PaymentBelowMinimumError, ProviderError, Secret } from '@cryptopay/provider-kit';
import { BLOCKBEE_EXTRA_COINS, BlockBeeAdapter, BlockBeeApiClient, validateBlockBeeOptions, coinForTicker, tickerForCoin, tickerFromPath, tickerToPath } from '../src/index.js';
import { adapterFrom, confirmedJson, INVOICE_ID, jsonCallback, storedInvoice, testAdapter } from './support/callbacks.js';
import { BTC, LOOPBACK } from './support/harness.js';
import { Shop } from './support/shop.js';

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe('the BlockBee adapter at the edges of what BlockBee answers', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open();
  });

  afterAll(async () => {
    await shop.close();
  });

  it("declares what BlockBee offers: GET and POST webhooks, a pending one before the confirmed one, RSA-SHA256 signatures, its logs, and three days of retries", () => {
    expect(shop.adapter.capabilities).toEqual({
      coins: expect.any(Array),
      callbackMethods: ['GET', 'POST'],
      pendingNotifications: true,
      signatureScheme: 'rsa-sha256',
      reconciliation: 'provider-log',
      callbackRetryWindowMs: 259_200_000,
    });
  });

  it('declares its secrets: the nonce parameter of every callback URL, and the API key wherever its value shows', () => {
    expect(shop.adapter.secrets.queryParams).toEqual(['nonce']);
    expect(shop.adapter.secrets.values?.map((secret) => secret.reveal())).toEqual([shop.simulator.apiKey]);
  });

  it('expects no nonce when the stored callback URL is not valid percent-encoding', () => {
    const providerReference = `https://shop.example/cb?invoice=${INVOICE_ID}&nonce=%zz`;
    expect(shop.adapter.invoiceNonce(storedInvoice({ providerReference }))).toBeNull();
  });

  it('keeps the configured signing key unless refreshing is enabled: BlockBee\'s /pubkey/ is not asked', async () => {
    const body = Buffer.from(confirmedJson());
    const signedByTheSimulator = {
      method: 'POST',
      target: `/cb?invoice=${INVOICE_ID}&nonce=x`,
      url: `https://shop.example/cb?invoice=${INVOICE_ID}&nonce=x`,
      headers: { 'content-type': 'application/json', 'x-ca-signature': shop.simulator.sign(body) },
      body,
      socketAddress: '127.0.0.1',
      receivedAt: new Date(),
    };
    const configured = adapterFrom({ apiKey: shop.simulator.apiKey, apiBaseUrl: shop.simulator.baseUrl, allowlist: LOOPBACK });
    await configured.refreshPublicKey();
    expect(configured.verify(signedByTheSimulator)).toMatchObject({ accepted: false, status: 403 });
  });

  it('names every coin it accepts when refusing another, separated by commas', async () => {
    const twoCoins = adapterFrom({ apiKey: shop.simulator.apiKey, apiBaseUrl: shop.simulator.baseUrl, allowlist: LOOPBACK, coins: ['BTC', 'LTC'] });
    const ethereum = { code: 'ETH', decimals: 18, name: 'Ether' };
    const error = await failure(twoCoins.createPaymentRequest({ invoiceId: INVOICE_ID, coin: ethereum, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect(error.message).toBe('blockbee: coin ETH is not accepted through BlockBee (accepted: BTC, LTC)');
  });

  it('reads a refusal that names the API key as an auth error', async () => {
    shop.simulator.failNext('info', { status: 400, error: 'Invalid API Key' });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect([error.kind, error.httpStatus, error.message]).toEqual(['auth', 400, expect.stringMatching(/^blockbee: the API key was refused \(HTTP 400\): Invalid API Key \(/)]);
  });

  it('names its option errors as BlockBee\'s', () => {
    const refused = (() => {
      try {
        return validateBlockBeeOptions({ apiKey: '' });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toMatchObject({ name: 'BlockBeeOptionsError', message: expect.stringMatching(/^Invalid BlockBee options: apiKey must not be empty/) });
  });

  it('names an allowlist entry that is no address when an adapter is built without the option rules', () => {
    const options = validateBlockBeeOptions({ apiKey: shop.simulator.apiKey });
    expect(() => new BlockBeeAdapter({ ...options, allowlist: ['51.77.105.132', 'blockbee.io'] })).toThrow(new TypeError('allowlist entry "blockbee.io" is not an IP address or CIDR range'));
  });

  it('names an error envelope without a message as such', async () => {
    shop.simulator.failNext('info', { status: 200, rawBody: '{"status": "error"}' });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect([error.kind, error.message]).toEqual(['rejected', expect.stringMatching(/refused the request: no error message$/)]);
  });

  it.each([
    ['a list of transactions that is no list', '{}', 'callbacks is not a list'],
    ['a transaction that is no object', '[1]', 'callbacks[0] is not an object'],
    ['a delivery attempt that is no object', '[{"txid_in": "ab12", "result": "done", "logs": [{"response_status": 200}, 2]}]', 'callbacks[0].logs[1] is not an object'],
  ])('refuses logs with %s, naming where', async (_case, callbacks, problem) => {
    const invoice = await shop.openInvoice();
    const rawBody = JSON.stringify({ status: 'success', callback_url: invoice.providerReference, address_in: invoice.address }).replace(/}$/, `, "callbacks": ${callbacks}}`);
    shop.simulator.failNext('logs', { status: 200, rawBody });
    const error = await failure(shop.adapter.reconcile(invoice));
    expect([error.kind, error.message]).toEqual(['invalid-response', expect.stringMatching(new RegExp(`answered an unexpected body: ${problem.replace(/[[\].]/g, '\\$&')}$`))]);
  });

  it('names a logged amount it cannot read as the logs\' value_coin', async () => {
    const invoice = await shop.openInvoice();
    const rawBody = JSON.stringify({
      status: 'success',
      callback_url: invoice.providerReference,
      address_in: invoice.address,
      callbacks: [{ txid_in: 'ab12', result: 'done', value_coin: 'lots' }],
    });
    shop.simulator.failNext('logs', { status: 200, rawBody });
    const error = await failure(shop.adapter.reconcile(invoice));
    expect([error.kind, error.message]).toEqual(['invalid-response', expect.stringMatching(/^blockbee: BTC logs value_coin "lots" is not a number;/)]);
  });

  it.each([
    ['12', 12],
    ['999999999', 999_999_999],
    ['1234567890', null],
    ['x3', null],
    ['3x', null],
  ])('reads logged confirmations %j as %p', async (confirmations, read) => {
    const invoice = await shop.openInvoice();
    const rawBody = JSON.stringify({
      status: 'success',
      callback_url: invoice.providerReference,
      address_in: invoice.address,
      callbacks: [{ txid_in: 'ab12', result: 'done', value_coin: '0.0001', confirmations }],
    });
    shop.simulator.failNext('logs', { status: 200, rawBody });
    expect(await shop.adapter.reconcile(invoice)).toEqual([expect.objectContaining({ txid: 'ab12', kind: 'confirmed', confirmations: read })]);
  });

  it("fetches BlockBee's logs of an invoice with each transaction's uuid, result and delivery attempts", async () => {
    const invoice = await shop.openInvoice();
    const attempt = { request_url: 'https://shop.example/cb?x=1', response_status: 500, response: 'oops', timestamp: '2026-12-05 12:00:00', next_try: '2026-12-05 12:06:00' };
    const rawBody = JSON.stringify({
      status: 'success',
      callback_url: invoice.providerReference,
      address_in: invoice.address,
      callbacks: [{ uuid: 'u-1', txid_in: 'ab12', result: 'sent', value_coin: '0.0001', confirmations: 2, logs: [attempt] }],
    });
    shop.simulator.failNext('logs', { status: 200, rawBody });
    expect(await shop.adapter.fetchLogs(invoice)).toEqual({
      address: invoice.address,
      transactions: [
        {
          uuid: 'u-1',
          txid: 'ab12',
          amount: 10_000n,
          confirmations: 2,
          result: 'sent',
          acknowledged: false,
          test: false,
          deliveries: [{ requestUrl: attempt.request_url, responseStatus: '500', response: 'oops', timestamp: attempt.timestamp, nextTry: attempt.next_try }],
        },
      ],
    });
  });

  it('reads logs without a list of transactions, or a transaction without delivery attempts, as empty lists', async () => {
    const invoice = await shop.openInvoice();
    const logs = { status: 'success', callback_url: invoice.providerReference, address_in: invoice.address };
    shop.simulator.failNext('logs', { status: 200, rawBody: JSON.stringify(logs) });
    expect(await shop.adapter.fetchLogs(invoice)).toEqual({ address: invoice.address, transactions: [] });
    shop.simulator.failNext('logs', { status: 200, rawBody: JSON.stringify({ ...logs, callbacks: [{ txid_in: 'ab12', result: 'pending' }] }) });
    expect((await shop.adapter.fetchLogs(invoice)).transactions).toEqual([expect.objectContaining({ txid: 'ab12', amount: null, deliveries: [] })]);
  });

  it('refuses to reconcile an invoice in a coin BlockBee is not mapped for, naming the coin', async () => {
    const invoice = await shop.openInvoice();
    const error = await failure(shop.adapter.reconcile({ ...invoice, coin: 'XMR' }));
    expect([error.kind, error.message]).toEqual(['rejected', 'blockbee: cannot reconcile an invoice in XMR']);
  });

  it('refuses to reconcile an invoice without a callback URL (nothing to look up), naming the invoice', async () => {
    const invoice = await shop.openInvoice();
    const error = await failure(shop.adapter.reconcile({ ...invoice, providerReference: null }));
    expect([error.kind, error.message]).toEqual(['rejected', `blockbee: invoice ${invoice.id} has no BlockBee callback URL to look up`]);
  });

  it("rounds a minimum written with more decimals than the coin has up: 0.000390630001 BTC is 39064 satoshi, above a 39063-satoshi invoice", async () => {
    // 25.00 USD at 64000 USD/BTC is 0.000390625 BTC: 39063 satoshi, rounded up.
    shop.simulator.setMinimum('btc', '0.000390630001');
    try {
      const refused = await shop.openInvoice().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PaymentBelowMinimumError);
      expect((refused as Error).message).toContain('minimum transaction of 0.00039064 BTC');
    } finally {
      shop.simulator.setMinimum('btc', '0.00008');
    }
  });
});

describe('webhooks the adapter refuses to read, and says why', () => {
  const adapter = testAdapter();

  it('refuses a coin that is no BlockBee ticker, quoting at most 40 characters of it', () => {
    const coin = `BTC${'x'.repeat(60)}`;
    expect(adapter.parse(jsonCallback(confirmedJson('0.05', { coin: JSON.stringify(coin) })))).toEqual({
      accepted: false,
      status: 400,
      reason: `coin ${JSON.stringify(coin.slice(0, 40))} is not a BlockBee ticker`,
    });
  });

  const UUID = 'dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2';
  const TXID = 'a2174ffd39289100709f2a07b129cdbba69df2e22e5be1830221dab1fd4e332c';
  it.each([
    ['uuid', `!${UUID}`, 'a UUID'],
    ['uuid', `${UUID}!`, 'a UUID'],
    ['uuid', 'u'.repeat(101), 'a UUID'],
    ['address_in', `/${'a'.repeat(40)}`, 'an address'],
    ['address_in', `${'a'.repeat(40)}/`, 'an address'],
    ['address_in', 'a'.repeat(129), 'an address'],
    ['txid_in', `:${TXID}`, 'a transaction id'],
    ['txid_in', `${TXID}:`, 'a transaction id'],
    ['txid_in', 'f'.repeat(129), 'a transaction id'],
  ])('refuses %s %j: not %s', (field, value, expected) => {
    expect(adapter.parse(jsonCallback(confirmedJson('0.05', { [field]: JSON.stringify(value) })))).toEqual({
      accepted: false,
      status: 400,
      reason: `${field} ${JSON.stringify(value.slice(0, 40))} is not ${expected}`,
    });
  });

  it.each(['01', '1234567890', 'x1', '1x', '1.0'])('refuses confirmations %j: not a whole number', (confirmations) => {
    expect(adapter.parse(jsonCallback(confirmedJson('0.05', { confirmations: JSON.stringify(confirmations) })))).toEqual({
      accepted: false,
      status: 400,
      reason: `confirmations ${JSON.stringify(confirmations)} is not a whole number`,
    });
  });

  it('accepts each field at its longest: a 100-character uuid, a 128-character address and txid, 9-digit confirmations', () => {
    const longest = confirmedJson('0.05', {
      uuid: JSON.stringify('u'.repeat(100)),
      address_in: JSON.stringify('a'.repeat(128)),
      txid_in: JSON.stringify('f'.repeat(128)),
      confirmations: '999999999',
    });
    expect(adapter.parse(jsonCallback(longest))).toMatchObject({
      deliveryKey: `blockbee:${'u'.repeat(100)}:confirmed`,
      payment: { address: 'a'.repeat(128), txid: 'f'.repeat(128), confirmations: 999_999_999 },
    });
  });

  it.each([
    ['an array', '["btc"]'],
    ['a boolean', 'true'],
  ])('refuses a field that is %s, naming it', (kind, literal) => {
    expect(adapter.parse(jsonCallback(confirmedJson('0.05', { coin: literal })))).toEqual({ accepted: false, status: 400, reason: `coin is ${kind}` });
  });

  it('refuses a signature header that is not strict base64, saying so', () => {
    const callback = jsonCallback(confirmedJson());
    expect(adapter.verify({ ...callback, socketAddress: '51.77.105.132', headers: { ...callback.headers, 'x-ca-signature': 'not base64!' } })).toEqual({
      accepted: false,
      status: 403,
      reason: 'the x-ca-signature header is not strict base64',
    });
  });

  it('refuses a paid amount of 10^60 base units or more as a broken field, and takes one just below', () => {
    expect(adapter.parse(jsonCallback(confirmedJson('1e52')))).toMatchObject({ accepted: false, status: 400, reason: 'BTC value_coin "1e52" is too large' });
    const justBelow = `${'9'.repeat(40)}e12`;
    expect(adapter.parse(jsonCallback(confirmedJson(justBelow)))).toMatchObject({ payment: { amount: 10n ** 60n - 10n ** 20n } });
  });

  it('quotes at most 40 characters of a paid amount that is not a number', () => {
    const text = '9'.repeat(30) + 'x'.repeat(30);
    expect(adapter.parse(jsonCallback(confirmedJson(JSON.stringify(text))))).toEqual({
      accepted: false,
      status: 400,
      reason: `BTC value_coin ${JSON.stringify(text.slice(0, 40))} is not a number; expected a decimal like "0.05" (or 5e-2)`,
    });
  });

  it('calls a paid amount with a minus after blanks negative', () => {
    expect(adapter.parse(jsonCallback(confirmedJson('" -0.5"')))).toMatchObject({ accepted: false, status: 400, reason: expect.stringContaining('BTC value_coin " -0.5" is negative;') });
  });

  it.each(['http://shop.example/cb?invoice=x', 'HTTPS://shop.example/cb?invoice=x'])('refuses a signed POST body that is a URL (%s): that signature authenticates a GET only', (url) => {
    expect(adapter.verify({ ...jsonCallback(url), socketAddress: '51.77.105.132' })).toEqual({
      accepted: false,
      status: 403,
      reason: 'a POST body that is a URL carries a GET callback’s signed bytes: a signature over a URL authenticates that GET only',
    });
  });

  it('looks for a URL at the very start of a POST body only', () => {
    expect(adapter.verify({ ...jsonCallback(' http://shop.example/cb'), socketAddress: '51.77.105.132' })).toEqual({ accepted: true });
  });

  it.each(['Application/JSON; charset=utf-8', ' application/json '])('reads a body declared as %j as JSON, whatever it looks like', (type) => {
    const callback = jsonCallback('[]');
    expect(adapter.parse({ ...callback, headers: { ...callback.headers, 'content-type': type } })).toEqual({
      accepted: false,
      status: 400,
      reason: 'the callback body is JSON but not an object',
    });
  });

  it('reads a body of a generic type by its shape, after blanks', () => {
    const callback = jsonCallback(`\n ${confirmedJson()}`);
    expect(adapter.parse({ ...callback, headers: { ...callback.headers, 'content-type': 'text/plain' } })).toMatchObject({ payment: { amount: 5_000_000n } });
  });

  it('reads a body of a generic type that does not start with { as a form', () => {
    const fields = `uuid=u-1&address_in=bc1qinvoiceaddress0000000000000000000000&txid_in=ab12&value_coin=0.05&coin=btc&pending=1`;
    const callback = jsonCallback(fields);
    expect(adapter.parse({ ...callback, headers: { ...callback.headers, 'content-type': 'text/plain' } })).toMatchObject({ payment: { amount: 5_000_000n, kind: 'seen' } });
  });

  it('reads a body declared as a form as a form, whatever it looks like', () => {
    const callback = jsonCallback(confirmedJson());
    expect(adapter.parse({ ...callback, headers: { ...callback.headers, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } })).toEqual({
      accepted: false,
      status: 400,
      reason: 'uuid is missing',
    });
  });

  it('names the problem of a form body that is not valid percent-encoding', () => {
    const callback = jsonCallback('uuid=%zz');
    expect(adapter.parse({ ...callback, headers: { ...callback.headers, 'content-type': 'application/x-www-form-urlencoded' } })).toEqual({
      accepted: false,
      status: 400,
      reason: 'the callback body is not a valid form: query parameter "uuid" is not valid percent-encoding',
    });
  });

  it('quotes at most 40 characters of a pending flag that is neither 0 nor 1', () => {
    expect(adapter.parse(jsonCallback(confirmedJson('0.05', { pending: JSON.stringify('2'.repeat(50)) })))).toEqual({
      accepted: false,
      status: 400,
      reason: `pending must be 0 or 1, not ${JSON.stringify('2'.repeat(40))}`,
    });
  });

  it('refuses to verify a method BlockBee never uses, naming it', () => {
    const callback = jsonCallback(confirmedJson());
    expect(adapter.verify({ ...callback, method: 'PUT', socketAddress: '51.77.105.132' })).toEqual({
      accepted: false,
      status: 400,
      reason: 'method PUT is not used by BlockBee callbacks (GET or POST)',
    });
  });

  it('refuses a method BlockBee never uses, naming it', () => {
    expect(adapter.parse({ ...jsonCallback(confirmedJson()), method: 'PUT' })).toEqual({
      accepted: false,
      status: 400,
      reason: 'method PUT is not used by BlockBee callbacks (GET or POST)',
    });
  });
});

describe('the coins BlockBee adds to the invoice domain', () => {
  it('adds BEP-20 USDT as an 18-decimal token, named for the payer as Tether USD (BEP-20)', () => {
    expect(BLOCKBEE_EXTRA_COINS).toEqual([{ code: 'USDT_BEP20', decimals: 18, name: 'Tether USD (BEP-20)' }]);
  });
});

describe("BlockBee's tickers and our coin codes", () => {
  it.each([
    ['btc', 'BTC'],
    ['bch', 'BCH'],
    ['ltc', 'LTC'],
    ['doge', 'DOGE'],
    ['eth', 'ETH'],
    ['trx', 'TRX'],
    ['erc20_usdt', 'USDT'],
    ['trc20_usdt', 'USDT_TRC20'],
    ['bep20_usdt', 'USDT_BEP20'],
    ['erc20_usdc', 'USDC'],
  ])('BlockBee\'s %s is our %s, both ways', (ticker, code) => {
    expect(coinForTicker(ticker)?.code).toBe(code);
    expect(tickerForCoin(code)).toBe(ticker);
  });

  it('maps nothing else', () => {
    expect([coinForTicker('xmr'), coinForTicker(''), tickerForCoin('XMR'), tickerForCoin('')]).toEqual([null, null, null, null]);
  });
});

describe('BlockBee tickers in URL paths', () => {
  it('refuses to write a path for text that is no ticker, naming it and the expected form', () => {
    expect(() => tickerToPath('BTC')).toThrow(new TypeError('"BTC" is not a BlockBee ticker like "btc" or "trc20_usdt"'));
    expect(tickerToPath('trc20_usdt')).toBe('trc20/usdt');
  });

  it.each(['!btc', 'btc!', 'b', 'trc20_usdt_x', `${'a'.repeat(17)}`])('takes %j for no ticker', (text) => {
    expect(() => tickerToPath(text)).toThrow(TypeError);
    expect(tickerFromPath(text.replace('_', '/'))).toBeNull();
  });

  it.each(['bc', 'a'.repeat(16), `${'a'.repeat(16)}_${'b'.repeat(16)}`])('takes %j for a ticker', (ticker) => {
    expect(tickerFromPath(tickerToPath(ticker))).toBe(ticker);
  });
});

describe("BlockBee's API client, as exported", () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open();
  });

  afterAll(async () => {
    await shop.close();
  });

  const client = (maxAttempts?: number) =>
    new BlockBeeApiClient({ apiKey: new Secret(shop.simulator.apiKey), baseUrl: shop.simulator.baseUrl, ...(maxAttempts === undefined ? {} : { maxAttempts }) });

  it.each([
    ['that is not a JSON object', '[1]', 'the body is not a JSON object'],
    ['without a status', '{"minimum_transaction_coin": "0.0001"}', 'status is missing, not "success"'],
    ['whose status is not "success"', '{"status": "pending", "minimum_transaction_coin": "0.0001"}', 'status is "pending", not "success"'],
  ])('refuses a 200 answer %s, naming the problem', async (_case, rawBody, problem) => {
    shop.simulator.failNext('info', { status: 200, rawBody });
    const error = await failure(client().coinInfo('btc'));
    expect([error.kind, error.message]).toEqual(['invalid-response', expect.stringMatching(new RegExp(`answered an unexpected body: ${problem}$`))]);
  });

  it("cuts BlockBee's error text after 200 characters, and only a longer one", async () => {
    shop.simulator.failNext('info', { status: 400, error: 'x'.repeat(200) });
    expect((await failure(client().coinInfo('btc'))).message).toMatch(/: x{200} \(/);
    shop.simulator.failNext('info', { status: 400, error: 'y'.repeat(201) });
    expect((await failure(client().coinInfo('btc'))).message).toMatch(/: y{200}… \(/);
  });

  it('names a missing field by its path in the answer', async () => {
    shop.simulator.failNext('create', { status: 200, rawBody: '{"status": "success", "callback_url": "https://shop.example/cb"}' });
    const created = await failure(client().createAddress('btc', { callbackUrl: 'https://shop.example/cb', confirmations: 1 }));
    expect(created.message).toMatch(/answered an unexpected body: address_in is missing or not a string$/);
    shop.simulator.failNext('logs', { status: 200, rawBody: '{"status": "success", "callback_url": "https://shop.example/cb", "address_in": "bc1q", "callbacks": [{"result": "done"}]}' });
    const logged = await failure(client().logs('btc', 'https://shop.example/cb'));
    expect(logged.message).toMatch(/answered an unexpected body: callbacks\[0\]\.txid_in is missing or not a string$/);
    shop.simulator.failNext('convert', { status: 200, rawBody: '{"status": "success", "value_coin": "0.0004", "exchange_rate": true}' });
    const converted = await failure(client().convert('btc', '25.00', 'USD'));
    expect(converted.message).toMatch(/answered an unexpected body: exchange_rate is missing or not a number$/);
  });

  it('lists the currencies BlockBee prices a coin in, sorted, when refusing another', async () => {
    shop.simulator.setRate('btc', '59000', 'EUR');
    shop.simulator.setRate('btc', '51000', 'GBP');
    const refused = await shop.adapter
      .createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'JPY', minor: 2500n }, callbackUrl: 'https://shop.example/cb' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ currency: 'JPY', supported: ['EUR', 'GBP', 'USD'] });
  });

  it('takes only three-letter codes from the prices BlockBee lists', async () => {
    shop.simulator.failNext('info', {
      status: 200,
      rawBody: '{"status": "success", "minimum_transaction_coin": "0.00008", "prices": {"USD": "64000", "EURO": "1", "xGBP": "1", "JPYx": "1", "CHF": "58000"}}',
    });
    const refused = await shop.adapter
      .createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'SEK', minor: 2500n }, callbackUrl: 'https://shop.example/cb' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ currency: 'SEK', supported: ['CHF', 'USD'] });
  });

  it('gives up on an answer after timeoutMs, naming it', async () => {
    const silent = createServer(() => undefined);
    const port = await listenOnFreePort(silent);
    try {
      const hung = new BlockBeeApiClient({ apiKey: new Secret(shop.simulator.apiKey), baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200, maxAttempts: 1 });
      const error = await failure(hung.coinInfo('btc'));
      expect([error.kind, error.message]).toEqual(['unavailable', expect.stringContaining('no answer within 200 ms')]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('accepts an invoice whose quote is exactly the minimum transaction', async () => {
    shop.simulator.setMinimum('btc', '0.00039063');
    try {
      await expect(shop.openInvoice()).resolves.toMatchObject({ amountDue: 39_063n });
    } finally {
      shop.simulator.setMinimum('btc', '0.00008');
    }
  });

  it('refuses a zero quote as an answer gone wrong, quoting it', async () => {
    shop.simulator.failNext('convert', { status: 200, rawBody: '{"status": "success", "value_coin": "0.000", "exchange_rate": "0"}' });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect([error.kind, error.message]).toEqual(['invalid-response', 'blockbee: convert value_coin "0.000" is zero']);
  });

  it('names an unreadable minimum as the info minimum_transaction_coin', async () => {
    shop.simulator.failNext('info', { status: 200, rawBody: '{"status": "success", "minimum_transaction_coin": "some"}' });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect([error.kind, error.message]).toEqual(['invalid-response', expect.stringMatching(/^blockbee: BTC info minimum_transaction_coin "some" /)]);
  });

  it.each([
    ['Invalid apikey', 400, 'auth'],
    ['API key service unavailable', 503, 'unavailable'],
  ])('reads %j (HTTP %i) as %s', async (text, status, kind) => {
    for (let attempt = 0; attempt < 3; attempt++) shop.simulator.failNext('info', { status, error: text });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect(error.kind).toBe(kind);
    while (shop.simulator.takeFailure('info')) {
      // drop the attempts a refusal did not use
    }
  });

  it('names a value it cannot read by coin and field', async () => {
    shop.simulator.failNext('convert', { status: 200, rawBody: '{"status": "success", "value_coin": "0.0004x", "exchange_rate": "0.0000156"}' });
    const error = await failure(shop.adapter.createPaymentRequest({ invoiceId: INVOICE_ID, coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: 'https://shop.example/cb' }));
    expect([error.kind, error.message]).toEqual(['invalid-response', expect.stringMatching(/^blockbee: BTC convert value_coin "0\.0004x" /)]);
  });

  it('asks BlockBee for a new address with pending and confirmed webhooks as a JSON POST, with fiat conversions', async () => {
    const requests: URL[] = [];
    const recorder = createServer((request, response) => {
      requests.push(new URL(request.url ?? '/', 'http://recorder'));
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'success', address_in: 'bc1qrecorded', callback_url: 'https://shop.example/cb', minimum_transaction_coin: '0.00008' }));
    });
    const port = await listenOnFreePort(recorder);
    try {
      const recorded = new BlockBeeApiClient({ apiKey: new Secret('recorder-key'), baseUrl: `http://127.0.0.1:${port}` });
      await expect(recorded.createAddress('btc', { callbackUrl: 'https://shop.example/cb?invoice=i&nonce=n', confirmations: 3 })).resolves.toEqual({
        addressIn: 'bc1qrecorded',
        callbackUrl: 'https://shop.example/cb',
        minimumTransactionCoin: '0.00008',
      });
      expect(requests.map((url) => [url.pathname, Object.fromEntries(url.searchParams)])).toEqual([
        ['/btc/create/', { callback: 'https://shop.example/cb?invoice=i&nonce=n', pending: '1', confirmations: '3', post: '1', json: '1', convert: '1', apikey: 'recorder-key' }],
      ]);
    } finally {
      await new Promise((resolve) => recorder.close(resolve));
    }
  });

  it('retries a failed lookup by default', async () => {
    shop.simulator.failNext('info', { status: 503, error: 'Maintenance' });
    await expect(client().coinInfo('btc')).resolves.toMatchObject({ minimumTransactionCoin: '0.00008' });
  });

  it('tries a lookup only maxAttempts times', async () => {
    shop.simulator.failNext('info', { status: 503, error: 'Maintenance' });
    const error = await failure(client(1).coinInfo('btc'));
    expect([error.kind, error.httpStatus]).toEqual(['unavailable', 503]);
  });
});
