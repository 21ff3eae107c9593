import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GatewayHarness } from './support/gateway-harness.js';

const OPERATOR_PATHS = ['/health/live', '/health/ready', '/metrics', '/docs', '/docs-json', '/Metrics', '/HEALTH/live'];

/** Issue 18 §3: with ADMIN_PORT, what an operator reads is on a listener of its own. */
describe('ADMIN_PORT', () => {
  let gw: GatewayHarness;
  let adminUrl: string;
  let closed = false;
  beforeAll(async () => {
    gw = await GatewayHarness.start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-admin-')), ADMIN_PORT: '0', API_DOCS: 'true' });
    adminUrl = gw.gateway.adminUrl ?? '';
  });
  afterAll(async () => {
    if (!closed) await gw.close();
  });

  it('listens on 127.0.0.1 unless ADMIN_HOST says otherwise, on a port of its own', () => {
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
    expect(adminUrl).not.toBe(gw.url);
  });

  it('serves health, metrics and the OpenAPI document there, and the public listener no longer does', async () => {
    const admin = await Promise.all(OPERATOR_PATHS.map(async (path) => (await fetch(`${adminUrl}${path}`)).status));
    const exposed = await Promise.all(OPERATOR_PATHS.map(async (path) => (await fetch(`${gw.url}${path}`)).status));
    expect(admin).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(exposed).toEqual([404, 404, 404, 404, 404, 404, 404]);
  });

  it('serves the API on the public listener only, and counts its requests in the metrics the admin listener shows', async () => {
    const created = await gw.createInvoice('blockonomics');
    const viaAdmin = await fetch(`${adminUrl}/v1/invoices/${created.id}`, { headers: { Authorization: `Bearer ${gw.token}` } });
    expect(viaAdmin.status).toBe(404);
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    expect(metrics).toContain('cryptopay_http_request_duration_seconds_count{method="POST",route="/v1/invoices",status="201"}');
  });

  it('answers readiness 503 there once draining, and closes with the gateway', async () => {
    gw.gateway.drain();
    expect((await fetch(`${adminUrl}/health/ready`)).status).toBe(503);
    expect((await fetch(`${adminUrl}/health/live`)).status).toBe(200);
    await gw.close();
    closed = true;
    await expect(fetch(`${adminUrl}/health/live`)).rejects.toThrow();
    await expect(fetch(`${gw.url}/v1/invoices`)).rejects.toThrow();
  });
});
