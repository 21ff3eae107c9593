import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CoinRegistry, parseCoinAmount } from '@cryptopay/invoice';
import { BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';
import { BlockonomicsSimulator } from '@cryptopay/provider-blockonomics/simulator';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { createApp } from '../src/app.js';

const API_TOKEN = 'example-platform-token-0123456789';

/** Nest's console logger, keeping the `log` lines (the access log, fulfilment) for the test instead of printing them. */
class RecordingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  override log(message: unknown): void {
    this.lines.push(String(message));
  }
}

interface InvoiceView {
  readonly id: string;
  readonly provider: string;
  readonly status: string;
  readonly address: string;
  readonly amountDue: string;
}

describe('a Nest app embedding PaymentsModule from the packed packages', { timeout: 120_000 }, () => {
  const logger = new RecordingLogger();
  let blockonomics: BlockonomicsSimulator;
  let blockbee: BlockBeeSimulator;
  let app: INestApplication;
  let api: string;

  before(async () => {
    // Retries come within milliseconds, so a refused callback is retried (and reported) at once.
    // autoCreateStores: the app's Blockonomics store is made by its first address (the real one is set up by hand).
    blockonomics = await BlockonomicsSimulator.start({ apiKey: 'example-blockonomics-key', timeScale: 0.001, autoCreateStores: true });
    blockbee = await BlockBeeSimulator.start({ apiKey: 'example-blockbee-key', timeScale: 0.001 });
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api`;
    app = await createApp(
      {
        publicUrl: `http://127.0.0.1:${port}`,
        apiTokens: [API_TOKEN],
        blockonomics: { apiKey: 'example-blockonomics-key', callbackSecret: generateCallbackSecret(), apiBaseUrl: blockonomics.baseUrl },
        // The simulator signs with its own key and delivers from loopback.
        blockbee: { apiKey: 'example-blockbee-key', apiBaseUrl: blockbee.baseUrl, publicKeyPem: blockbee.publicKeyPem, allowlist: ['127.0.0.1', '::1'] },
      },
      { logger },
    );
    await app.listen(port, '127.0.0.1');
  });

  after(async () => {
    await app?.close();
    await Promise.all([blockonomics?.close(), blockbee?.close()]);
  });

  it('serves the invoice API under the app prefix, through the app interceptor', async () => {
    const logged = accessLogCount('POST', '/api/v1/invoices', 201);
    const invoice = await createInvoice('blockonomics', 'order-api');
    assert.equal(invoice.status, 'new');
    await eventually(() => assert.equal(accessLogCount('POST', '/api/v1/invoices', 201), logged + 1));
  });

  it('registers callback URLs under the app prefix at both providers', async () => {
    const atBlockonomics = await createInvoice('blockonomics', 'order-url-1');
    const atBlockbee = await createInvoice('blockbee', 'order-url-2');
    assert.equal(new URL(blockonomics.storeUrlOf(atBlockonomics.address) ?? '').pathname, '/api/v1/callbacks/blockonomics');
    assert.equal(new URL(blockbee.address(atBlockbee.address)?.callbackUrl ?? '').pathname, '/api/v1/callbacks/blockbee');
  });

  it('settles a Blockonomics invoice from callbacks at /api/v1/callbacks/blockonomics, through the app interceptor', async () => {
    const invoice = await createInvoice('blockonomics', 'order-1');
    const satoshis = parseCoinAmount(new CoinRegistry().get('BTC'), invoice.amountDue);
    const { deliveries } = await blockonomics.pay(invoice.address, satoshis);

    assert.equal(deliveries.length, 3); // seen, 1 and 2 confirmations
    for (const delivery of deliveries) {
      assert.equal(new URL(delivery.url).pathname, '/api/v1/callbacks/blockonomics');
      assert.deepEqual(delivery.attempts.map((attempt) => attempt.httpStatus), [200], `callback status=${delivery.params.status} was answered ${JSON.stringify(delivery.attempts)}`);
    }
    await eventually(() => assert.equal(accessLogCount('GET', '/api/v1/callbacks/blockonomics', 200), 3));
    assert.equal((await getInvoice(invoice.id)).status, 'settled');
    assert.ok(logger.lines.includes(`invoice ${invoice.id} settled: release its order`));
  });

  it('settles a BlockBee invoice from callbacks at /api/v1/callbacks/blockbee, through the app interceptor', async () => {
    const invoice = await createInvoice('blockbee', 'order-2');
    const { attempts } = await blockbee.pay({ address: invoice.address, valueCoin: invoice.amountDue });

    assert.equal(attempts.length, 2); // pending, then confirmed
    for (const attempt of attempts) {
      assert.equal(new URL(attempt.requestUrl).pathname, '/api/v1/callbacks/blockbee');
      assert.equal(attempt.responseStatus, 200, `the ${attempt.pending ? 'pending' : 'confirmed'} callback was answered ${attempt.responseStatus}: ${attempt.response}`);
    }
    await eventually(() => assert.equal(accessLogCount(attempts[0]!.method, '/api/v1/callbacks/blockbee', 200), 2));
    assert.equal((await getInvoice(invoice.id)).status, 'settled');
    assert.ok(logger.lines.includes(`invoice ${invoice.id} settled: release its order`));
  });

  /** Lines the app's RequestLogInterceptor wrote for this request and status. */
  function accessLogCount(method: string, path: string, status: number): number {
    return logger.lines.filter((line) => line.startsWith(`${method} ${path} ${status} `)).length;
  }

  async function createInvoice(provider: string, orderId: string): Promise<InvoiceView> {
    const response = await fetch(`${api}/v1/invoices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': orderId },
      body: JSON.stringify({ provider, amount: '25.00', currency: 'USD', orderId }),
    });
    assert.equal(response.status, 201, `POST /api/v1/invoices (${provider}) answered ${response.status}: ${await response.clone().text()}`);
    return (await response.json()) as InvoiceView;
  }

  async function getInvoice(id: string): Promise<InvoiceView> {
    const response = await fetch(`${api}/v1/invoices/${id}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as InvoiceView;
  }
});

/** The access log line is written once the answer is flushed, which the client may see first. */
async function eventually(check: () => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return check();
    } catch (error) {
      if (attempt === 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
