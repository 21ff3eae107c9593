import { mkdtempSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GatewayHarness } from './support/gateway-harness.js';

/** Issue 18 §2: a sandbox nobody else on the host can use to settle invoices. */
describe('sandbox mode', () => {
  it('listens on 127.0.0.1 only, and gives each run’s simulators a random API key', async () => {
    const [first, second] = [await GatewayHarness.start({ DATA_DIR: dataDir() }), await GatewayHarness.start({ DATA_DIR: dataDir() })];
    try {
      const address = first.gateway.app.getHttpServer().address() as AddressInfo;
      expect(address.address).toBe('127.0.0.1');
      const keys = [first, second].flatMap((gw) => [gw.sandbox.blockonomics.options.apiKey, gw.sandbox.blockbee.options.apiKey]);
      expect(keys.every((key) => /^sandbox-[0-9a-f]{48}$/.test(key))).toBe(true);
      expect(new Set(keys).size).toBe(4);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('answers 409 with a message for an invoice whose simulator state is gone after a restart, paying nothing', async () => {
    const dir = dataDir();
    const before = await GatewayHarness.start({ DATA_DIR: dir });
    const invoices = [await before.createInvoice('blockonomics'), await before.createInvoice('blockbee')];
    await before.close();

    const after = await GatewayHarness.start({ DATA_DIR: dir });
    try {
      for (const invoice of invoices) {
        const res = await after.request(`/sandbox/invoices/${invoice.id}/pay`, { method: 'POST', body: '{}' });
        expect(res.status).toBe(409);
        expect(((await res.json()) as { message: string }).message).toContain(`sandbox no longer knows address ${invoice.address}`);
        expect((await after.invoice(invoice.id)).payments).toEqual([]);
      }
    } finally {
      await after.close();
    }
  });
});

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'gateway-sandbox-'));
}
