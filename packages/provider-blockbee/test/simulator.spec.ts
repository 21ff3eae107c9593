import { BlockBeeSimulator } from '../src/simulator/index.js';
import { retryAt } from '../src/simulator/delivery.js';

const MINUTE = 60_000;

describe("the simulator's retry schedule", () => {
  it('retries after 6, 12, 24… minutes until the transaction is 3 days old', () => {
    const created = 0;
    const retries: number[] = [];
    let attemptedAt = created;
    for (let number = 1; ; number++) {
      const next = retryAt(number, attemptedAt, created, 1);
      if (next === null) break;
      retries.push((next - attemptedAt) / MINUTE);
      attemptedAt = next;
    }
    expect(retries).toEqual([6, 12, 24, 48, 96, 192, 384, 768, 1536]);
    expect(attemptedAt / MINUTE).toBe(3066);
  });

  it('scales the schedule', () => {
    expect(retryAt(1, 1000, 1000, 0.001)).toBe(1360);
    expect(retryAt(3, 0, 0, 0.001)).toBe(1440);
  });
});

describe('the simulator over HTTP', () => {
  let simulator: BlockBeeSimulator;
  const get = async (path: string) => {
    const response = await fetch(`${simulator.baseUrl}${path}`);
    return { status: response.status, body: await response.text() };
  };

  beforeAll(async () => {
    simulator = await BlockBeeSimulator.start({ apiKey: 'sim-key' });
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('serves its public key without an API key', async () => {
    const { status, body } = await get('/pubkey/');
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: 'success', pubkey: simulator.publicKeyPem });
  });

  it('converts at settable rates and reports coin info, with tickers in their slash form', async () => {
    simulator.setRate('trc20_usdt', '0.92', 'EUR');
    expect(JSON.parse((await get('/trc20/usdt/convert/?apikey=sim-key&value=9.20&from=EUR')).body)).toEqual({
      status: 'success',
      value_coin: '10',
      exchange_rate: '1.086956521739',
    });
    simulator.setMinimum('btc', '0.0001');
    expect(JSON.parse((await get('/btc/info/?apikey=sim-key')).body)).toMatchObject({ status: 'success', minimum_transaction_coin: '0.0001' });
  });

  it('answers errors with the envelope', async () => {
    expect(await get('/btc/info/?apikey=wrong')).toEqual({ status: 401, body: '{"status":"error","error":"API Key not valid"}' });
    expect(await get('/xmr/info/?apikey=sim-key')).toEqual({ status: 404, body: '{"status":"error","error":"Coin xmr not supported"}' });
    expect(await get('/btc/convert/?apikey=sim-key&value=1&from=XYZ')).toEqual({ status: 400, body: '{"status":"error","error":"No price for XYZ"}' });
    expect(await get('/btc/create/?apikey=sim-key')).toEqual({ status: 400, body: '{"status":"error","error":"callback is required"}' });
  });

  it('records a failed delivery with its next try, and closes cleanly with the retry pending', async () => {
    const own = await BlockBeeSimulator.start({ apiKey: 'sim-key' });
    const callback = encodeURIComponent('http://127.0.0.1:9/cb?invoice=a&nonce=b');
    const created = (await (await fetch(`${own.baseUrl}/btc/create/?apikey=sim-key&callback=${callback}`)).json()) as { address_in: string };
    const payment = await own.pay({ address: created.address_in, valueCoin: '0.001' });
    expect(payment.attempts).toEqual([expect.objectContaining({ pending: false, responseStatus: null, nextTry: expect.any(Date) })]);
    await own.close();
    await expect(own.idle()).resolves.toBeUndefined();
  });
});
