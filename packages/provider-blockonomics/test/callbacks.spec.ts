import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { amountPaid, InMemoryInvoiceRepository, type PaymentState } from '@cryptopay/invoice';
import { ACCEPTED, type RawCallback } from '@cryptopay/provider-kit';
import { type RequiredConfirmations, TEST_TXID } from '../src/index.js';
import { CallbackBench, payments } from './callback-bench.js';
import { API_KEY, BCH, setParam, withTarget } from './support.js';

let bench: CallbackBench;

beforeAll(async () => {
  bench = await CallbackBench.start();
});
afterAll(() => bench.close());
beforeEach(() => bench.configure({}));

/** A genuine callback as the simulator delivered it over HTTP. */
async function genuineCallback(): Promise<RawCallback> {
  const address = await bench.createInvoice();
  const [delivery] = await bench.pay([{ address, value: 41_667n }], { statuses: [2] });
  return delivery!.raw;
}

/** The state of the stored invoice's payment `txid`. */
async function paymentState(address: string, txid: string): Promise<PaymentState | undefined> {
  return (await bench.endpoint.invoiceAt(address)).payments.find((payment) => payment.txid === txid)?.state;
}

describe('statuses and the required confirmations', () => {
  test.each<[RequiredConfirmations, string[]]>([
    [0, ['confirmed', 'confirmed', 'confirmed']],
    [1, ['seen', 'confirmed', 'confirmed']],
    [2, ['seen', 'seen', 'confirmed']],
  ])('with %i required confirmations, statuses 0, 1, 2 read as %j', async (confirmations, kinds) => {
    bench.configure({ confirmations });
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 41_667n }]);
    expect(payments(deliveries).map((p) => [p?.kind, p?.confirmations])).toEqual([
      [kinds[0], 0],
      [kinds[1], 1],
      [kinds[2], 2],
    ]);
    expect(deliveries.map((d) => d.acknowledgement.status)).toEqual([200, 200, 200]);
  });

  test('normalizes a confirmed callback into the exact payment, located by address and keyed by txid, status and address', async () => {
    const address = await bench.createInvoice();
    const [delivery] = await bench.pay([{ address, value: 41_667n }], { statuses: [2], txid: 'AB'.repeat(32) });
    expect(delivery?.notification).toEqual({
      deliveryKey: `blockonomics:BTC:${'ab'.repeat(32)}:2:${address}`,
      invoice: { by: 'address', address },
      payment: { coin: 'BTC', address, txid: 'ab'.repeat(32), amount: 41_667n, kind: 'confirmed', confirmations: 2, rbf: false, test: false },
    });
  });

  test('marks every payment a test payment when its callbacks come from the simulator (sandbox mode, issue 18 §2)', async () => {
    bench.configure({ simulated: true, allowTestPayments: true });
    const address = await bench.createInvoice();
    const [delivery] = await bench.pay([{ address, value: 41_667n }], { statuses: [2], txid: 'cd'.repeat(32) });
    expect(payments([delivery!])[0]).toMatchObject({ txid: 'cd'.repeat(32), test: true });
  });

  test('a confirmed callback arriving first (skipped statuses) is applied as confirmed', async () => {
    const address = await bench.createInvoice();
    const [delivery] = await bench.pay([{ address, value: 5n }], { statuses: [2] });
    expect(delivery?.outcome.kind).toBe('applied');
    expect(payments([delivery!])[0]?.kind).toBe('confirmed');
  });

  test('status -1 marks the payment reverted', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 41_667n }], { statuses: [0, -1] });
    expect(payments(deliveries).map((p) => p?.kind)).toEqual(['seen', 'reverted']);
    expect(deliveries[1]?.notification?.deliveryKey).toMatch(/:-1:/);
    expect(await paymentState(address, payments(deliveries)[0]!.txid)).toBe('reverted');
  });

  test('a late status 0 after status 2 is its own delivery and leaves the payment confirmed', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 41_667n }], { statuses: [2, 0] });
    expect(deliveries.map((d) => d.outcome.kind)).toEqual(['applied', 'applied']);
    expect(await paymentState(address, payments(deliveries)[0]!.txid)).toBe('confirmed');
  });

  test('a retried delivery keeps its key and is acknowledged 200 as a duplicate', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 41_667n }], { statuses: [1], duplicates: 1 });
    expect(deliveries.map((d) => [d.outcome.kind, d.acknowledgement.status])).toEqual([
      ['applied', 200],
      ['duplicate', 200],
    ]);
    expect(deliveries[0]?.notification?.deliveryKey).toBe(deliveries[1]?.notification?.deliveryKey);
  });
});

describe('Replace-By-Fee', () => {
  test.each([1, 2] as const)('rbf=%i at zero confirmations is seen, not counted, even when 0 confirmations are enough', async (rbf) => {
    bench.configure({ confirmations: 0 });
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 41_667n }], { statuses: [0, 1], rbf });
    expect(deliveries[0]?.raw.target).toContain(`rbf=${rbf}`);
    expect(payments(deliveries).map((p) => [p?.kind, p?.rbf])).toEqual([
      ['seen', true],
      ['confirmed', false],
    ]);
  });
});

describe('the rbf parameter, read only where it means Replace-By-Fee', () => {
  /** The payment a genuine callback of `status` reports once its `rbf` parameter is `rbf` (sent as is, secret kept). */
  async function paymentWithRbf(status: 0 | 1 | 2, rbf: string) {
    const address = await bench.createInvoice();
    const [delivery] = await bench.pay([{ address, value: 41_667n }], { statuses: [status] });
    const raw = delivery!.raw;
    expect(raw.target).not.toContain('rbf=');
    const processed = await bench.process(withTarget(raw, setParam(raw.target, 'rbf', rbf)));
    expect(processed.acknowledgement.status).toBe(200);
    return payments([processed])[0];
  }

  test('rbf=0 at zero confirmations is no Replace-By-Fee: counted once 0 confirmations are enough', async () => {
    bench.configure({ confirmations: 0 });
    expect(await paymentWithRbf(0, '0')).toMatchObject({ kind: 'confirmed', confirmations: 0, rbf: false });
  });

  test.each([
    [1, '1'],
    [1, '2'],
    [2, '1'],
    [2, '2'],
  ] as const)('status %i with rbf=%s is confirmed: a mined transaction can no longer be replaced', async (status, rbf) => {
    bench.configure({ confirmations: 1 });
    expect(await paymentWithRbf(status, rbf)).toMatchObject({ kind: 'confirmed', confirmations: status, rbf: false });
  });
});

describe('Replace-By-Fee and the invoice (a lower status never undoes a higher one)', () => {
  const dueOf = async (address: string): Promise<bigint> => (await bench.endpoint.invoiceAt(address)).amountDue;

  test('a late status=0&rbf=1 after status=1 leaves the invoice processing and the payment counted', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: await dueOf(address) }], { statuses: [1, 0], rbf: 1 });
    expect(deliveries[1]?.raw.target).toContain('rbf=1');
    const invoice = deliveries[1]!.invoiceAfter!;
    expect(invoice.status).toBe('processing');
    expect(invoice.payments[0]).toMatchObject({ state: 'pending', confirmations: 1, rbf: false });
    expect(amountPaid(invoice)).toBe(invoice.amountDue);
  });

  test('status=0&rbf=1 then status=1 counts the payment though 2 confirmations are required', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: await dueOf(address) }], { statuses: [0, 1], rbf: 1 });
    expect(deliveries[0]?.invoiceAfter?.status).toBe('new');
    const invoice = deliveries[1]!.invoiceAfter!;
    expect(invoice.status).toBe('processing');
    expect(amountPaid(invoice)).toBe(invoice.amountDue);
  });
});

describe('test payments (Merchant > Logs / Test Bench)', () => {
  test('a test callback for no invoice of ours is verified, ignored without a made-up payment and answered 200', async () => {
    const record = await bench.simulator.sendTestCallback({ storeUrl: bench.adapter.callbackUrl(bench.callbackBaseUrl).reveal() });
    expect(record.attempts).toEqual([{ httpStatus: 200 }]);
    const [delivery] = bench.endpoint.deliveriesMentioning(record.params.addr);
    expect([delivery?.stage, delivery?.outcome.kind]).toEqual(['parse', 'unmatched']);
    expect(delivery?.notification).toEqual({
      deliveryKey: `blockonomics:BTC:${TEST_TXID}:2:${record.params.addr}`,
      ignoreReason: 'dashboard test payment while test payments are off',
    });
  });

  test('while test payments are off, a test payment to an invoice address changes nothing and is answered 200', async () => {
    const address = await bench.createInvoice();
    const record = await bench.simulator.sendTestCallback({ address });
    const [delivery] = bench.endpoint.deliveriesMentioning(address).filter((d) => d.raw.target.includes(TEST_TXID));
    expect(record.attempts).toEqual([{ httpStatus: 200 }]);
    expect(delivery?.notification).toMatchObject({ ignoreReason: expect.stringMatching(/test payment/) });
    expect(delivery?.outcome.kind).toBe('unmatched');
    expect((await bench.endpoint.invoiceAt(address)).payments).toEqual([]);
  });

  test('with test payments on (sandbox), a test payment is applied and marked as a test', async () => {
    bench.configure({ allowTestPayments: true });
    const address = await bench.createInvoice();
    await bench.simulator.sendTestCallback({ address, value: 777n, status: 2 });
    const [delivery] = bench.endpoint.deliveriesMentioning(address).filter((d) => d.raw.target.includes(TEST_TXID));
    expect(delivery?.outcome.kind).toBe('applied');
    expect(delivery?.notification).not.toHaveProperty('ignoreReason');
    expect(payments([delivery!])[0]).toMatchObject({ txid: TEST_TXID, address, amount: 777n, kind: 'confirmed', test: true });
    expect(delivery?.invoiceAfter?.payments).toMatchObject([{ txid: TEST_TXID, amount: 777n, test: true }]);
  });
});

describe('one transaction, several addresses', () => {
  test('one txid paying two invoices is two payments with their own amounts and delivery keys', async () => {
    const first = await bench.createInvoice();
    const second = await bench.createInvoice();
    const deliveries = await bench.pay(
      [
        { address: first, value: 1_000n },
        { address: second, value: 2_000n },
      ],
      { statuses: [2] },
    );
    expect(deliveries.map((d, i) => [payments(deliveries)[i]?.address, payments(deliveries)[i]?.amount, d.outcome.kind])).toEqual([
      [first, 1_000n, 'applied'],
      [second, 2_000n, 'applied'],
    ]);
    expect(new Set(deliveries.map((d) => d.invoiceId)).size).toBe(2);
    expect(new Set(payments(deliveries).map((p) => p?.txid)).size).toBe(1);
    expect(deliveries[0]?.notification?.deliveryKey).not.toBe(deliveries[1]?.notification?.deliveryKey);
  });

  test('two transactions paying one address are two payments', async () => {
    const address = await bench.createInvoice();
    const first = await bench.pay([{ address, value: 1_000n }], { statuses: [2] });
    const second = await bench.pay([{ address, value: 3_000n }], { statuses: [2] });
    const [a, b] = [payments(first)[0]!, payments(second)[0]!];
    const stored = (await bench.endpoint.invoiceAt(address)).payments;
    expect(stored.map((payment) => [payment.txid, payment.amount])).toEqual([
      [a.txid, 1_000n],
      [b.txid, 3_000n],
    ]);
  });
});

describe('coins', () => {
  test('a BCH invoice gets a CashAddr address and its callbacks read as BCH, with or without the crypto parameter', async () => {
    const address = await bench.createInvoice(BCH);
    expect(address).toMatch(/^bitcoincash:q/);
    const withCrypto = await bench.pay([{ address, value: 10n }], { statuses: [2] });
    const withoutCrypto = await bench.pay([{ address, value: 20n }], { statuses: [2], sendCrypto: false });
    expect(withoutCrypto[0]?.raw.target).not.toContain('crypto=');
    const deliveries = [...withCrypto, ...withoutCrypto];
    // Without `crypto` the coin is left to the invoice the address was issued for (fix 2.3).
    expect(payments(deliveries).map((p) => p?.coin)).toEqual(['BCH', undefined]);
    expect(deliveries.map((d) => d.outcome.kind)).toEqual(['applied', 'applied']);
  });

  // Without `crypto`, the coin read from the address format names the delivery (its key), so a BTC and
  // a BCH payment of one txid never count as one delivery.
  const cashAddr = 'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a';
  test.each([
    ['a prefixed CashAddr', `bitcoincash:${cashAddr}`, 'BCH'],
    ['a bare CashAddr', cashAddr, 'BCH'],
    ['a bare P2SH CashAddr', `p${cashAddr.slice(1)}`, 'BCH'],
    ['a bech32 BTC address', 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', 'BTC'],
    ['a CashAddr one character short', cashAddr.slice(0, -1), 'BTC'],
    ['a CashAddr with a character after it', `bitcoincash:${cashAddr}q`, 'BTC'],
    ['a CashAddr with a character before it', `x${cashAddr}`, 'BTC'],
    ['a CashAddr with a character outside its alphabet (b)', `${cashAddr.slice(0, -1)}b`, 'BTC'],
  ])('without crypto, %s is read as %s', async (_name, address, coin) => {
    const raw = await genuineCallback();
    const notification = bench.adapter.parse(withTarget(raw, setParam(setParam(raw.target, 'crypto', null), 'addr', address)));
    expect(notification).toMatchObject({ deliveryKey: expect.stringMatching(new RegExp(`^blockonomics:${coin}:`)) });
  });

  test('a callback whose crypto differs from the invoice coin is refused by the core\'s binding policy (403) and not counted', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(raw.target, 'crypto', 'BCH')));
    expect(processed.stage).toBe('bind');
    expect(processed.acknowledgement).toEqual({
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: `the payment is in BCH but invoice ${processed.invoiceId} is in BTC`,
    });
    expect(processed.invoiceAfter?.payments.map((payment) => payment.coin)).toEqual(['BTC']);
  });
});

describe('authenticity: the secret is checked first, in constant time', () => {
  test.each([
    ['missing', null, 401, 'missing callback secret; the store callback URL must end with ?secret=<your secret>'],
    ['empty', '', 403, 'wrong callback secret'],
    ['wrong', 'x'.repeat(43), 403, 'wrong callback secret'],
  ] as const)('a %s secret is refused before anything is parsed, saying why', async (_case, secret, status, reason) => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(raw.target, 'secret', secret)));
    expect([processed.stage, processed.notification, processed.acknowledgement.status]).toEqual(['verify', null, status]);
    expect(processed.outcome).toMatchObject({ reason });
    expect(processed.acknowledgement.body).not.toContain(bench.secret);
  });

  test('a query string that cannot be decoded is refused: the secret in it cannot be checked', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, `${raw.target}&note=%zz`));
    expect([processed.stage, processed.acknowledgement.status]).toEqual(['verify', 401]);
    expect(processed.outcome).toMatchObject({ reason: 'the query string cannot be read, so the callback secret cannot be checked' });
  });

  test('a repeated secret is refused even when one copy is right', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, `${raw.target}&secret=${bench.secret}`));
    expect([processed.stage, processed.acknowledgement.status]).toEqual(['verify', 403]);
    expect(processed.outcome).toMatchObject({ reason: 'the callback secret must appear exactly once' });
  });

  test('a store callback URL with the wrong secret gets 403 over HTTP, which Blockonomics retries', async () => {
    const record = await bench.simulator.sendTestCallback({ storeUrl: `${bench.callbackBaseUrl}?secret=${'w'.repeat(43)}` });
    expect(record.delivered).toBe(false);
    expect(record.attempts).toHaveLength(8);
    expect(record.attempts.every((attempt) => attempt.httpStatus === 403)).toBe(true);
  });
});

describe('verify and parse each read the raw callback on their own', () => {
  test('verify looks at the secret only: a genuine secret with a malformed rest passes it, and parse refuses the rest', async () => {
    const raw = await genuineCallback();
    const malformed = withTarget(raw, setParam(raw.target, 'status', '9'));
    expect(bench.adapter.verify(malformed)).toEqual(ACCEPTED);
    expect(bench.adapter.parse(malformed)).toEqual({ accepted: false, status: 400, reason: 'status "9" must be -1, 0, 1 or 2' });
  });

  test('the secret parameter is declared, so the core redacts it wherever it logs or shows a callback', () => {
    expect(bench.adapter.secrets).toEqual({ queryParams: ['secret'], values: [expect.anything(), expect.anything()] });
    // …and its value, and the API key's, wherever they show (issue 18 §4).
    expect(bench.adapter.secrets.values?.map((secret) => secret.reveal()).sort()).toEqual([bench.secret, API_KEY].sort());
  });
});

describe('strict parsing: a 400 naming what is wrong', () => {
  test.each([
    ['value', '1.5', 'value "1.5" is not a number'],
    ['value', '-1', 'value "-1" is negative'],
    ['value', '1e5', 'value "1e5" uses exponent notation'],
    ['value', '1'.padEnd(31, '0'), 'is too large'],
    ['value', '', 'is not a number'],
    ['value', '007', 'is not a number'],
    ['status', '3', 'status "3" must be -1, 0, 1 or 2'],
    ['status', 'confirmed', 'must be -1, 0, 1 or 2'],
    ['status', '12', 'status "12" must be -1, 0, 1 or 2'], // a valid status at either end is not enough
    ['status', 'x'.repeat(70), `status "${'x'.repeat(70)}" must be -1, 0, 1 or 2`],
    ['status', 'x'.repeat(71), `status "${'x'.repeat(70)}…" must be -1, 0, 1 or 2`], // a longer value is cut in the answer
    ['txid', 'abc', 'txid "abc" must be 64 hexadecimal characters'],
    ['txid', `${'ab'.repeat(32)}c`, 'must be 64 hexadecimal characters'],
    ['addr', '-bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', 'is not a Bitcoin or Bitcoin Cash address'],
    ['rbf', '21', 'rbf "21" must be 0, 1 or 2'],
    ['addr', 'bc1q with space', 'is not a Bitcoin or Bitcoin Cash address'],
    ['addr', '\u0000', 'addr "\\u0000" is not a Bitcoin or Bitcoin Cash address'],
    ['addr', 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\n', 'is not a Bitcoin or Bitcoin Cash address'],
    ['rbf', 'yes', 'rbf "yes" must be 0, 1 or 2'],
    ['crypto', 'DOGE', 'crypto "DOGE" is not supported'],
  ])('%s=%j', async (name, value, message) => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(raw.target, name, encodeURIComponent(value))));
    expect(processed.stage).toBe('parse');
    expect(processed.acknowledgement.status).toBe(400);
    expect(processed.acknowledgement.body).toContain(message);
  });

  test.each(['status', 'addr', 'value', 'txid'])('missing %s', async (name) => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(raw.target, name, null)));
    expect([processed.stage, processed.acknowledgement.status, processed.acknowledgement.body]).toEqual(['parse', 400, `missing query parameter ${name}`]);
  });

  test.each(['status', 'addr', 'value', 'txid', 'rbf', 'crypto'])('%s given twice', async (name) => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, `${raw.target}&${name}=1&${name}=2`));
    expect([processed.stage, processed.acknowledgement.status]).toEqual(['parse', 400]);
    expect(processed.acknowledgement.body).toMatch(new RegExp(`query parameter ${name} appears [23] times`));
  });

  test('names and values, the secret among them, are percent-decoded before they are read', async () => {
    const raw = await genuineCallback();
    const [path, query = ''] = raw.target.split('?') as [string, string?];
    const everyCharEncoded = (text: string): string => [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const encoded = query.split('&').map((pair) => pair.split('=').map(everyCharEncoded).join('=')).join('&');
    const processed = await bench.process(withTarget(raw, `${path}?${encoded}`), new InMemoryInvoiceRepository());
    expect(processed.stage).toBe('find');
    expect(processed.notification).toEqual(bench.adapter.parse(raw));
  });

  test('a + in a value is a space, as in HTML forms', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(raw.target, 'addr', 'bc1q+with+space')));
    expect([processed.stage, processed.acknowledgement.status]).toEqual(['parse', 400]);
    expect(processed.acknowledgement.body).toContain('addr "bc1q with space" is not');
  });

  test('several missing parameters are named together', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(setParam(raw.target, 'status', null), 'txid', null)));
    expect([processed.stage, processed.acknowledgement.status, processed.acknowledgement.body]).toEqual(['parse', 400, 'missing query parameters status, txid']);
  });

  test('a POST is refused: Blockonomics only sends GET', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process({ ...raw, method: 'POST' });
    expect([processed.stage, processed.acknowledgement.status, processed.acknowledgement.body]).toEqual(['parse', 400, 'Blockonomics callbacks are GET requests, not POST']);
  });

  test('the refusal names at most 10 characters of an unknown method', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process({ ...raw, method: 'X'.repeat(11) });
    expect(processed.acknowledgement.body).toBe(`Blockonomics callbacks are GET requests, not ${'X'.repeat(10)}`);
  });

  test('unknown parameters (the merchant\'s own, new ones) are ignored', async () => {
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, `${raw.target}&order=42&timestamp=1700000000`), new InMemoryInvoiceRepository());
    expect(processed.outcome.kind).toBe('unmatched');
  });
});

describe('acknowledgements', () => {
  test('settled outcomes get 200, rejections their 4xx with the reason, retry-later its 409/503', () => {
    const { adapter } = bench;
    expect(adapter.acknowledge({ kind: 'unmatched' })).toMatchObject({ status: 200 });
    expect(adapter.acknowledge({ kind: 'rejected', status: 403, reason: 'wrong callback secret' })).toEqual({
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: 'wrong callback secret',
    });
    expect(adapter.acknowledge({ kind: 'retry-later', status: 503, reason: 'store unavailable' })).toMatchObject({ status: 503 });
    expect(adapter.acknowledge({ kind: 'retry-later', status: 409, reason: 'in flight' })).toMatchObject({ status: 409 });
  });
});

test('no callback made the pipeline throw', () => {
  expect(bench.endpoint.errors).toEqual([]);
});
