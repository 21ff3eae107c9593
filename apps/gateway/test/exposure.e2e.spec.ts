import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GatewayHarness } from './support/gateway-harness.js';

const METRICS_TOKEN = 'c5b1e09d7f3a4628ba9e0d1c7f5a3e82';

/** Issue 18 §3: what the listener shows to whoever reaches it. */
describe('the gateway’s exposure', () => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await GatewayHarness.start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-exposure-')), METRICS_TOKEN, API_DOCS: 'false' });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('serves /metrics only to the bearer of METRICS_TOKEN', async () => {
    const anonymous = await fetch(`${gw.url}/metrics`);
    const wrong = await fetch(`${gw.url}/metrics`, { headers: { Authorization: `Bearer ${gw.token}` } });
    const bearer = await fetch(`${gw.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect([anonymous.status, wrong.status, bearer.status]).toEqual([401, 401, 200]);
    expect(await bearer.text()).toContain('cryptopay_callbacks_total');
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200); // probes stay open
  });

  it('serves no API docs with API_DOCS=false', async () => {
    expect([(await fetch(`${gw.url}/docs`)).status, (await fetch(`${gw.url}/docs-json`)).status]).toEqual([404, 404]);
  });

  it('sends no X-Powered-By header', async () => {
    const res = await fetch(`${gw.url}/health/live`);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
