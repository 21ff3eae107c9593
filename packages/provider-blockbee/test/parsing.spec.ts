import { type CallbackNotification, type CallbackRefusal, type PaymentNotification, runCallbackPipeline } from '@cryptopay/provider-kit';
import {
  ADDRESS,
  CALLBACK_PATH,
  confirmedJson,
  formCallback,
  getCallback,
  INVOICE_ID,
  jsonCallback,
  NONCE,
  testAdapter,
} from './support/callbacks.js';

const adapter = testAdapter();
const TXID = 'a2174ffd39289100709f2a07b129cdbba69df2e22e5be1830221dab1fd4e332c';
const UUID = 'dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2';

type Parsed = CallbackNotification | CallbackRefusal;
const show = (result: Parsed) => JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

function notification(result: Parsed): PaymentNotification {
  if ('accepted' in result || 'ignoreReason' in result) throw new Error(`expected a payment notification, got ${show(result)}`);
  return result;
}

function ignoreReason(result: Parsed): string {
  if (!('ignoreReason' in result)) throw new Error(`expected an ignored notification, got ${show(result)}`);
  return result.ignoreReason;
}

function rejection(result: Parsed): { status: number; reason: string } {
  if (!('accepted' in result)) throw new Error(`expected a rejection, got ${show(result)}`);
  return { status: result.status, reason: result.reason };
}

const pendingFields = `uuid=${UUID}&address_in=${ADDRESS}&address_out=1H6ZZpRmMnrw8ytepV3BYwMjYYnEkWDqVP&txid_in=${TXID}&value_coin=0.05&value_coin_convert=%7B%22USD%22%3A+%223.20%22%7D&coin=btc&price=64000&pending=1`;

describe('the three encodings', () => {
  const expected = {
    invoice: { by: 'id', invoiceId: INVOICE_ID },
    nonce: NONCE,
    payment: { coin: 'BTC', txid: TXID, address: ADDRESS, amount: 5_000_000n, rbf: false, test: false },
  };

  it('reads a GET webhook from the query string, next to our own parameters', () => {
    const parsed = notification(adapter.parse(getCallback(pendingFields)));
    expect(parsed).toMatchObject({ ...expected, deliveryKey: `blockbee:${UUID}:pending` });
    expect(parsed.payment).toMatchObject({ kind: 'seen', confirmations: 0 });
  });

  it('reads a form POST webhook from the body', () => {
    const parsed = notification(adapter.parse(formCallback(pendingFields)));
    expect(parsed).toMatchObject({ ...expected, deliveryKey: `blockbee:${UUID}:pending` });
  });

  it('reads a JSON POST webhook, with JSON numbers kept exact and the *_convert JSON strings ignored', () => {
    const parsed = notification(adapter.parse(jsonCallback(confirmedJson('0.05'))));
    expect(parsed).toMatchObject({ ...expected, deliveryKey: `blockbee:${UUID}:confirmed` });
    expect(parsed.payment).toMatchObject({ kind: 'confirmed', confirmations: 3 });
  });

  it('recognises JSON without a content type by its shape', () => {
    const callback = jsonCallback(confirmedJson());
    const untyped = { ...callback, headers: { ...callback.headers, 'content-type': undefined } };
    expect(notification(adapter.parse(untyped)).payment.amount).toBe(5_000_000n);
  });

  it('takes POST fields from the signed body only, never from the unsigned query string', () => {
    const target = `${CALLBACK_PATH}&value_coin=99&address_in=bc1qattacker`;
    const parsed = notification(adapter.parse(jsonCallback(confirmedJson('0.05'), { target })));
    expect(parsed.payment).toMatchObject({ amount: 5_000_000n, address: ADDRESS });
  });
});

describe('exact amounts', () => {
  it.each([
    ['0.1', 10_000_000n],
    ['0.00000001', 1n],
    ['21000000', 2_100_000_000_000_000n],
    ['90071992.54740993', 9_007_199_254_740_993n],
  ])('reads value_coin %s as exactly %s satoshi (a JSON number)', (text, satoshi) => {
    expect(notification(adapter.parse(jsonCallback(confirmedJson(text)))).payment.amount).toBe(satoshi);
  });

  // Fix 2.6: a refusal is retried by BlockBee for three days and the payment never counts.
  it('accepts a value more precise than the coin, rounding the paid amount down', () => {
    expect(notification(adapter.parse(jsonCallback(confirmedJson('0.30000000000000004')))).payment.amount).toBe(30_000_000n);
    expect(notification(adapter.parse(jsonCallback(confirmedJson('0.123456789')))).payment.amount).toBe(12_345_678n);
  });

  it.each([
    ['1e-7', 10n],
    ['1E-7', 10n],
    ['5e2', 50_000_000_000n],
    ['0.5e1', 500_000_000n],
    ['2.5E2', 25_000_000_000n],
    ['1e-9', 0n],
  ])('reads exponent notation %s exactly as %s satoshi, in JSON and form bodies', (text, satoshi) => {
    expect(notification(adapter.parse(jsonCallback(confirmedJson(text)))).payment.amount).toBe(satoshi);
    expect(notification(adapter.parse(formCallback(pendingFields.replace('value_coin=0.05', `value_coin=${text}`)))).payment.amount).toBe(satoshi);
  });

  it.each([
    ['-0.1', 'is negative'],
    ['"lots"', 'is not a number'],
    ['""', 'is not a number'],
    ['"0.05 "', 'is not a number'],
  ])('rejects value_coin %s (%s)', (literal, problem) => {
    expect(rejection(adapter.parse(jsonCallback(confirmedJson(literal))))).toMatchObject({ status: 400, reason: expect.stringContaining(problem) });
  });

  it('ignores the *_convert fields whatever they hold: they are JSON-encoded strings, never amounts we use', () => {
    for (const literal of ['"{\\"USD\\": 1e999}"', '"not json at all"', '{"USD": 0.30000000000000004}', '[1, 2]']) {
      const body = confirmedJson('0.05', { value_coin_convert: literal, value_forwarded_coin_convert: literal });
      expect(notification(adapter.parse(jsonCallback(body))).payment.amount).toBe(5_000_000n);
    }
  });

  it('accepts value_coin as a JSON string too (exactly as written)', () => {
    expect(notification(adapter.parse(jsonCallback(confirmedJson('"0.1"')))).payment.amount).toBe(10_000_000n);
  });

  it('uses the coin decimals of the webhook coin (6 for TRC-20 USDT)', () => {
    const body = confirmedJson('12.345678', { coin: '"trc20_usdt"' });
    expect(notification(adapter.parse(jsonCallback(body))).payment).toMatchObject({ coin: 'USDT_TRC20', amount: 12_345_678n });
  });
});

describe('one transaction, two webhooks', () => {
  it('gives pending and confirmed distinct delivery keys but the same payment identity', () => {
    const pending = notification(adapter.parse(jsonCallback(confirmedJson('0.05', { pending: '1', confirmations: '0' }))));
    const confirmed = notification(adapter.parse(jsonCallback(confirmedJson('0.05'))));
    expect(pending.deliveryKey).not.toBe(confirmed.deliveryKey);
    const identity = (n: PaymentNotification) => [n.payment.coin, n.payment.txid, n.payment.address];
    expect(identity(pending)).toEqual(identity(confirmed));
    expect([pending.payment.kind, confirmed.payment.kind]).toEqual(['seen', 'confirmed']);
  });

  it('gives a retried delivery the same key', () => {
    const first = notification(adapter.parse(jsonCallback(confirmedJson())));
    const retry = notification(adapter.parse(getCallback(pendingFields.replace('pending=1', 'pending=0'))));
    expect(retry.deliveryKey).toBe(first.deliveryKey);
  });
});

describe('webhooks without value_coin', () => {
  const pendingWithout = pendingFields.replace('value_coin=0.05&', '');

  it('acknowledges a pending webhook without any amount and changes nothing: the confirmed one records it', () => {
    const parsed = adapter.parse(getCallback(pendingWithout));
    expect(parsed).toEqual({
      deliveryKey: `blockbee:${UUID}:pending`,
      ignoreReason: 'a pending webhook without value_coin; the confirmed webhook records the payment',
    });
  });

  // Fix 2.2: for tokens `value` is not base units (`value=200` beside `value_coin=2.00011` for bep20 USDT).
  it('never reads the legacy value as an amount, whatever it holds', () => {
    expect(adapter.parse(getCallback(`${pendingWithout}&value=5000000`))).toMatchObject({ ignoreReason: expect.stringContaining('without value_coin') });
    expect(adapter.parse(getCallback(`${pendingWithout}&value=0.05`))).toMatchObject({ ignoreReason: expect.stringContaining('without value_coin') });
    const token = confirmedJson('2.00011', { coin: '"bep20_usdt"', value: '200' });
    expect(notification(adapter.parse(jsonCallback(token))).payment).toMatchObject({ coin: 'USDT_BEP20', amount: 2_000_110_000_000_000_000n });
  });

  it('takes a JSON null as absent, not as a malformed field', () => {
    const pending = confirmedJson('null', { pending: '1', confirmations: 'null', value: 'null' });
    expect(adapter.parse(jsonCallback(pending))).toMatchObject({ ignoreReason: expect.stringContaining('without value_coin') });
  });

  it('rejects a confirmed webhook without an amount', () => {
    const confirmedWithout = pendingWithout.replace('pending=1', 'pending=0&confirmations=3');
    expect(rejection(adapter.parse(getCallback(confirmedWithout)))).toEqual({ status: 400, reason: 'value_coin is missing' });
  });
});

describe('wrong coin and test payments', () => {
  it("reports a payment in another coin under that coin, for the core's binding to refuse", () => {
    const parsed = notification(adapter.parse(jsonCallback(confirmedJson('1.5', { coin: '"ltc"' }))));
    expect(parsed.payment).toMatchObject({ coin: 'LTC', amount: 150_000_000n, address: ADDRESS });
  });

  it('rejects a coin this adapter does not support', () => {
    expect(rejection(adapter.parse(jsonCallback(confirmedJson('1', { coin: '"bep20_shib"' }))))).toEqual({
      status: 400,
      reason: 'coin "bep20_shib" is not one this adapter supports',
    });
  });

  it('ignores a sandbox test payment unless test payments are allowed', () => {
    const body = confirmedJson('0.05', { cryptopay_test: '1' });
    expect(ignoreReason(adapter.parse(jsonCallback(body)))).toBe('a sandbox test payment while test payments are not allowed');
    const allowed = notification(testAdapter({ allowTestPayments: true }).parse(jsonCallback(body)));
    expect(allowed.payment.test).toBe(true);
  });
});

describe('strict fields', () => {
  it.each([
    ['uuid missing', confirmedJson().replace(/"uuid": "[^"]*", /, ''), 'uuid is missing'],
    ['uuid not a string', confirmedJson('0.05', { uuid: '42' }), 'uuid must be a string, not a number'],
    ['txid_in with spaces', confirmedJson('0.05', { txid_in: '"a b"' }), 'txid_in "a b" is not a transaction id'],
    ['pending not 0/1', confirmedJson('0.05', { pending: '2' }), 'pending must be 0 or 1, not "2"'],
    ['confirmations negative', confirmedJson('0.05', { confirmations: '-1' }), 'confirmations "-1" is not a whole number'],
    ['address_in null (absent)', confirmedJson('0.05', { address_in: 'null' }), 'address_in is missing'],
    ['coin an object', confirmedJson('0.05', { coin: '{}' }), 'coin is an object'],
    ['a repeated key', confirmedJson().replace(/}$/, ', "value_coin": 1}'), 'the callback body is not valid JSON: duplicate property "value_coin"'],
    ['truncated JSON', confirmedJson().slice(0, 40), 'the callback body is not valid JSON'],
    ['a JSON array', '[]', 'the callback body is JSON but not an object'],
  ])('rejects %s with a 400 naming the problem', (_name, body, reason) => {
    expect(rejection(adapter.parse(jsonCallback(body)))).toMatchObject({ status: 400, reason: expect.stringContaining(reason) });
  });

  it('rejects a body that is not UTF-8', () => {
    const callback = jsonCallback(confirmedJson());
    expect(rejection(adapter.parse({ ...callback, body: Buffer.from([0x7b, 0xff, 0x7d]) }))).toEqual({
      status: 400,
      reason: 'the callback body is not valid UTF-8',
    });
  });

  it('rejects a repeated form field instead of picking one', () => {
    const callback = formCallback(`${pendingFields}&value_coin=99`);
    expect(rejection(adapter.parse(callback))).toEqual({ status: 400, reason: 'value_coin appears more than once (value_coin=…&value_coin=…)' });
  });

  it.each([
    ['a NUL byte', '%00'],
    ['a control character after a UUID', `${'dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2'}%0A`],
    ['an id of another shape', 'order-42'],
    ['a path', '..%2F..%2Fetc'],
  ])('acknowledges a signed webhook whose invoice parameter is %s as unmatched, looking nothing up', async (_case, invoice) => {
    const target = `/v1/callbacks/blockbee?invoice=${invoice}&nonce=${NONCE}`;
    const lookups: unknown[] = [];
    for (const callback of [jsonCallback(confirmedJson(), { target }), getCallback(pendingFields, { target })]) {
      expect(adapter.verify(callback)).toEqual({ accepted: true });
      expect(ignoreReason(adapter.parse(callback))).toBe('the invoice parameter is not one of our invoice ids (a UUID); no invoice of ours can match');
      const run = await runCallbackPipeline(adapter, callback, {
        findInvoice: async (locator) => {
          lookups.push(locator);
          return null;
        },
        apply: () => Promise.reject(new Error('nothing may be applied')),
      });
      expect(run).toMatchObject({ stage: 'parse', outcome: { kind: 'unmatched' } });
    }
    expect(lookups).toEqual([]);
  });

  it('requires our invoice parameter in the callback URL', () => {
    const callback = jsonCallback(confirmedJson(), { target: '/v1/callbacks/blockbee?nonce=x' });
    expect(rejection(adapter.parse(callback))).toEqual({ status: 400, reason: 'invoice is missing' });
  });

  it('refuses a query string or form body that is not valid percent-encoding', () => {
    const target = `${CALLBACK_PATH}&broken=%E0%A4%A`;
    expect(rejection(adapter.parse(jsonCallback(confirmedJson(), { target })))).toEqual({
      status: 400,
      reason: 'query parameter "broken" is not valid percent-encoding',
    });
    expect(rejection(adapter.parse(formCallback(`${pendingFields}&value_coin_convert=%ZZ`)))).toMatchObject({
      status: 400,
      reason: expect.stringContaining('the callback body is not a valid form'),
    });
  });

  it('never throws on hostile input', () => {
    const bodies = ['', '{', '{"__proto__": {"x": 1}}', '{"uuid": "\\ud800"}', 'a'.repeat(10_000), '{"a":'.repeat(100)];
    for (const body of bodies) {
      expect(() => adapter.parse(jsonCallback(body))).not.toThrow();
      expect(() => adapter.parse(formCallback(body))).not.toThrow();
    }
  });
});

describe('value_coin beyond any supply', () => {
  it('refuses an exponent that makes it larger than the ledger can hold, naming it', () => {
    expect(rejection(adapter.parse(jsonCallback(confirmedJson('1e99'))))).toMatchObject({ status: 400, reason: expect.stringContaining('is too large') });
  });
});
