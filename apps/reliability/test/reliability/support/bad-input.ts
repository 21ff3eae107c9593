import fc from 'fast-check';
import { type BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';
import { blockbeeWebhook, randomTxid } from '../../../src/harness/callbacks.js';
import { type RawRequest } from '../../../src/harness/raw-client.js';

/** A request that must be refused, and what the refusal must name. */
export interface BadRequest {
  readonly label: string;
  readonly request: RawRequest;
  readonly names: RegExp;
}

type Params = [string, string][];

const query = (params: Params): string => params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');

/** Text of every kind: unicode (astral planes included), control characters, empty. */
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

/** Printable ASCII: what an HTTP header value can carry. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 });

/** Parameters the endpoints do not know (ignored), up to an oversized but parseable query string. */
const noise = fc.array(fc.tuple(anyText.map((name) => `x_${name}`), fc.oneof(anyText, fc.string({ minLength: 1000, maxLength: 3000 }))), { maxLength: 3 });

/** Amount texts that are not a plain whole number of base units: negative, decimal, exponent, huge, unicode, words. */
const notWholeUnits = fc
  .oneof(
    fc.bigInt({ min: -(10n ** 40n), max: -1n }).map(String),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`),
    fc.tuple(fc.nat(), fc.integer({ min: -400, max: 400 })).map(([a, e]) => `${a}e${e}`),
    fc.bigInt({ min: 10n ** 30n, max: 10n ** 400n }).map(String),
    fc.constantFrom('', ' 1', '1 ', '0x10', '١٢٣', '１２３', 'NaN', 'Infinity', '+5', '1_000'),
    anyText,
  )
  .filter((text) => !/^[0-9]{1,30}$/.test(text));

export interface BlockonomicsTarget {
  readonly secret: string;
  readonly address: string;
}

/** Blockonomics GET callbacks to a real invoice's address, each with one defect. */
export function badBlockonomicsCallbacks(target: BlockonomicsTarget): fc.Arbitrary<BadRequest> {
  const valid = (): Params => [
    ['secret', target.secret],
    ['status', '2'],
    ['addr', target.address],
    ['value', '1000'],
    ['txid', randomTxid()],
    ['crypto', 'BTC'],
  ];
  const set = (params: Params, name: string, value: string): Params => params.map(([key, old]) => [key, key === name ? value : old]);
  const required = fc.constantFrom('status', 'addr', 'value', 'txid');
  const defect: fc.Arbitrary<{ label: string; params: Params; names: RegExp }> = fc.oneof(
    anyText.filter((text) => text !== target.secret).map((secret) => ({ label: 'wrong secret', params: set(valid(), 'secret', secret), names: /secret/ })),
    fc.constant({ label: 'no secret', params: valid().filter(([name]) => name !== 'secret'), names: /secret/ }),
    fc.constant({ label: 'repeated secret', params: valid().concat([['secret', target.secret]]), names: /secret/ }),
    notWholeUnits.map((value) => ({ label: 'bad value', params: set(valid(), 'value', value), names: /value/ })),
    anyText.filter((status) => !['-1', '0', '1', '2'].includes(status)).map((status) => ({ label: 'bad status', params: set(valid(), 'status', status), names: /status/ })),
    required.map((name) => ({ label: 'missing parameter', params: valid().filter(([key]) => key !== name), names: new RegExp(name) })),
    fc.tuple(required, anyText).map(([name, value]) => ({ label: 'duplicate parameter', params: valid().concat([[name, value]]), names: new RegExp(name) })),
  );
  return fc.tuple(defect, noise, fc.boolean()).map(([{ label, params, names }, extra, spoof]): BadRequest => ({
    label,
    names,
    request: {
      method: 'GET',
      path: `/v1/callbacks/blockonomics?${query([...params, ...extra])}`,
      headers: spoof ? { 'x-forwarded-for': '44.241.250.59' } : ({} as Record<string, string>),
    },
  }));
}

export interface BlockbeeTarget {
  readonly simulator: BlockBeeSimulator;
  readonly address: string;
}

const jsonValue = fc.oneof(
  fc.constantFrom('"abc"', 'null', '[]', '{}', 'true', '-0.001', '1e5', '1E-3', '0.5', '-1', '2', '""'),
  fc.bigInt({ min: 10n ** 80n, max: 10n ** 400n }).map(String),
  anyText.map((text) => JSON.stringify(text)),
);

/** Values a field would accept (so they are no defect): a generated value matching one is skipped. */
const ACCEPTABLE: Readonly<Record<string, RegExp>> = {
  uuid: /^"[A-Za-z0-9-]{1,100}"$/,
  address_in: /^"[A-Za-z0-9:]{1,128}"$/,
  txid_in: /^"[A-Za-z0-9]{1,128}"$/,
  coin: /^"[a-z0-9_]+"$/,
  // Exponent notation and extra decimals are read exactly (rounded down), not refused: see docs/providers/blockbee.md.
  value_coin: /^"?[0-9]{1,40}(\.[0-9]{1,60})?([eE][+-]?[0-9]{1,2})?"?$/,
  pending: /^"?[01]"?$/,
  // A JSON null is an absent field, and confirmations is optional.
  confirmations: /^(?:null|"?[0-9]+"?)$/,
};

/** A value that is wrong for `field`: a wrong JSON type, a wrong shape, an exponent, negative or huge amount, unicode. */
const wrongValueFor = (field: string): fc.Arbitrary<string> => jsonValue.filter((text) => !(ACCEPTABLE[field] as RegExp).test(text));

/**
 * BlockBee JSON webhooks to a real invoice's callback URL, each with one defect: forged, missing or
 * broken signatures, bodies changed after signing, validly signed but malformed bodies (wrong types,
 * exponent, negative and huge amounts, unicode), wrong or repeated nonces, a spoofed X-Forwarded-For
 * from a source outside the allowlist, oversized bodies.
 */
export function badBlockbeeWebhooks(target: BlockbeeTarget): fc.Arbitrary<BadRequest> {
  const genuine = () => blockbeeWebhook(target.simulator, { address: target.address, valueCoin: '0.0001', pending: false });
  const withBody = (body: string, names: RegExp, label: string): BadRequest => {
    const { path, headers } = genuine();
    return { label, names, request: { method: 'POST', path, headers: { ...headers, 'x-ca-signature': target.simulator.sign(body) }, body } };
  };
  const replaceField = (body: string, field: string, value: string): string => body.replace(new RegExp(`"${field}": ("[^"]*"|[^,}]*)`), `"${field}": ${value}`);
  const signedMalformed = fc.oneof(
    fc.constantFrom(...Object.keys(ACCEPTABLE)).chain((field) => wrongValueFor(field).map((value) => [field, value] as const)).map(([field, value]) => {
      const body = replaceField(genuine().body as string, field, value);
      return withBody(body, new RegExp(field), 'signed, malformed field');
    }),
    fc.constantFrom('uuid', 'address_in', 'txid_in', 'coin', 'pending').map((field) => {
      const body = (genuine().body as string).replace(new RegExp(`"${field}": ("[^"]*"|[^,}]*), `), '').replace(new RegExp(`, "${field}": ("[^"]*"|[^,}]*)`), '');
      return withBody(body, new RegExp(field), 'signed, missing field');
    }),
    anyText.map((text) => withBody(`{${text}`, /JSON/, 'signed, not JSON')),
    fc.constant(withBody('[1, 2]', /object/, 'signed, JSON but not an object')),
  );
  const unsigned = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 256 }).map((bytes) => {
      const request = genuine();
      return { label: 'forged signature', names: /signature/, request: { ...request, headers: { ...request.headers, 'x-ca-signature': Buffer.from(bytes).toString('base64') } } };
    }),
    headerText.filter((text) => !/^[A-Za-z0-9+/]*={0,2}$/.test(text)).map((text) => {
      const request = genuine();
      return { label: 'signature not base64', names: /signature|base64/, request: { ...request, headers: { ...request.headers, 'x-ca-signature': text } } };
    }),
    fc.constant(null).map(() => {
      const { 'x-ca-signature': _, ...headers } = genuine().headers;
      return { label: 'no signature', names: /signature/, request: { ...genuine(), headers } };
    }),
    fc.tuple(fc.constantFrom('value_coin', 'address_in', 'txid_in', 'pending'), jsonValue).map(([field, value]) => {
      const request = genuine();
      return { label: 'body changed after signing', names: /signature/, request: { ...request, body: replaceField(request.body as string, field, value) } };
    }),
    anyText.map((nonce) => {
      const request = genuine();
      return { label: 'wrong nonce', names: /nonce/, request: { ...request, path: request.path.replace(/nonce=[^&]*/, `nonce=${encodeURIComponent(`${nonce}x`)}`) } };
    }),
    fc.constantFrom('drop', 'repeat').map((how) => {
      const request = genuine();
      const path = how === 'drop' ? request.path.replace(/&nonce=[^&]*/, '') : `${request.path}&nonce=${new URL(request.path, 'http://x').searchParams.get('nonce')}`;
      return { label: `nonce ${how === 'drop' ? 'missing' : 'repeated'}`, names: /nonce/, request: { ...request, path } };
    }),
    fc.constantFrom('127.0.0.1', '51.77.105.132', '135.125.112.47, 127.0.0.1').map((forwarded) => {
      const request = genuine();
      return { label: 'spoofed X-Forwarded-For from outside the allowlist', names: /allowlist/, request: { ...request, headers: { ...request.headers, 'x-forwarded-for': forwarded }, from: '127.0.0.3' } };
    }),
    fc.integer({ min: 65 * 1024, max: 300 * 1024 }).map((size) => {
      const request = genuine();
      return { label: 'oversized body', names: /large/, request: { ...request, body: `${request.body as string}${' '.repeat(size)}` } };
    }),
  );
  return fc.oneof(signedMalformed, unsigned);
}

/** Invoice API requests, each with one defect: credentials, ids, query, body fields, JSON, size. */
export function badInvoiceApiCalls(token: string): fc.Arbitrary<BadRequest> {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const valid = (): Record<string, unknown> => ({ provider: 'blockonomics', amount: '25.00', currency: 'USD', orderId: `fuzz-${randomTxid().slice(0, 8)}` });
  const post = (body: string, names: RegExp, label: string, headers: Record<string, string> = json): BadRequest => ({ label, names, request: { method: 'POST', path: '/v1/invoices', headers, body } });
  const field = (name: string, values: fc.Arbitrary<unknown>, names = new RegExp(name)) =>
    values.map((value) => post(JSON.stringify({ ...valid(), [name]: value }), names, `bad ${name}`));
  return fc.oneof(
    fc.oneof(fc.constant(undefined), headerText.map((text) => `Bearer ${text}x`), fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', `bearer ${token}`, `Bearer  ${token}`)).map(
      (header): BadRequest => ({
        label: 'bad credentials',
        names: /Authorization|token/,
        request: { method: 'POST', path: '/v1/invoices', headers: { 'content-type': 'application/json', ...(header === undefined ? {} : { authorization: header }) }, body: JSON.stringify(valid()) },
      }),
    ),
    fc.oneof(fc.uuid(), anyText).map((id) => ({ label: 'unknown invoice id', names: /invoice .*does not exist/, request: { method: 'GET', path: `/v1/invoices/${encodeURIComponent(id) || '%20'}`, headers: auth } })),
    fc.oneof(fc.constant('orderId=a&orderId=b'), fc.constant(''), fc.constant(`orderId=${'x'.repeat(129)}`)).map((search) => ({
      label: 'bad order query',
      names: /orderId/,
      request: { method: 'GET', path: `/v1/invoices?${search}`, headers: auth },
    })),
    field('amount', fc.oneof(fc.integer(), notWholeUnits.filter((text) => !/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,3})?$/.test(text)), fc.constant(null))),
    // Codes are accepted in any case (upper-cased first), so only what is no code in any case is a defect.
    field('currency', fc.oneof(anyText.filter((text) => !/^[A-Z]{3}$/.test(text.toUpperCase())), fc.integer())),
    field('provider', fc.oneof(anyText.map((text) => `${text}!`), fc.constant('unknown-provider'), fc.integer())),
    field('orderId', fc.oneof(fc.constant(''), fc.string({ minLength: 129, maxLength: 300 }), fc.integer())),
    field('metadata', fc.oneof(anyText, fc.integer(), fc.constant([1, 2]))),
    field('coin', fc.oneof(anyText.filter((text) => !/^[A-Z0-9]{2,12}(?:_[A-Z0-9]{2,12})?$/.test(text.toUpperCase())), fc.constant('DOGE')), /coin|DOGE/),
    fc.string({ minLength: 1, maxLength: 12 }).map((name) => post(JSON.stringify({ ...valid(), [`x${name}`]: 1 }), /should not exist/, 'unknown field')),
    anyText.map((text) => post(`{"provider": ${text}`, /JSON|Unexpected|Expected/, 'broken JSON')),
    fc.integer({ min: 101 * 1024, max: 300 * 1024 }).map((size) => post(JSON.stringify({ ...valid(), metadata: { pad: 'x'.repeat(size) } }), /large/, 'oversized body')),
  );
}
