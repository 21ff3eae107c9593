import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@cryptopay/test-servers';
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import {
  axeViolations,
  cspViolations,
  decodeQr,
  DESKTOP,
  documentationShot,
  fromSatoshi,
  launchChromium,
  MOBILE,
  watchCspViolations,
} from './support/checkout-browser.js';
import { databaseEnv, dropTestSchemas, GatewayHarness, type InvoiceBody, REDIS_URL, satoshi } from './support/gateway-harness.js';

const RETURN_URL = 'https://shop.example.com/orders/1001?paid=1';

/** The hosted checkout page of the sandbox gateway, in Debian's Chromium: one browser for the file. */
describe('checkout page in a real browser', () => {
  let gw: GatewayHarness;
  let browser: Browser;

  beforeAll(async () => {
    [gw, browser] = await Promise.all([GatewayHarness.start({ ...databaseEnv('PostgreSQL'), REDIS_URL }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await dropTestSchemas();
  });

  /** A fresh browser context (no cookies, own viewport) on the invoice's checkout page; CSP violations recorded. */
  async function open(invoice: InvoiceBody, context: BrowserContextOptions = DESKTOP): Promise<Page> {
    const page = await (await browser.newContext(context)).newPage();
    await watchCspViolations(page);
    const res = await page.goto(String(invoice['checkoutUrl']));
    expect(res?.status()).toBe(200);
    return page;
  }

  const headline = (page: Page) => page.locator('[role="status"] .status-headline');

  /** Waits for the live region to say `text` (the page changes by itself, by its event stream). */
  async function untilHeadline(page: Page, text: string): Promise<void> {
    await eventually(async () => (await headline(page).textContent()) === text, `the page to say "${text}"`, { tries: 400 });
  }

  async function close(page: Page): Promise<void> {
    expect(await cspViolations(page)).toEqual([]);
    await page.context().close();
  }

  it('shows what to pay: the QR code reads as the BIP21 URI of the amount due, under a strict CSP, with no axe violations', async () => {
    const invoice = await gw.createInvoice('blockonomics', '25.00', { metadata: { customer: 'secret-customer-42' } });
    expect(invoice['checkoutUrl']).toBe(`${gw.url}/checkout/${invoice.id}`);
    const page = await open(invoice);
    const res = await page.request.get(String(invoice['checkoutUrl']));
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');

    await expect(headline(page).textContent()).resolves.toBe('Waiting for payment');
    expect(await decodeQr(page)).toBe(`bitcoin:${invoice.address}?amount=${invoice.amountDue}`);
    await expect(page.locator('#amount-remaining').textContent()).resolves.toBe(invoice.amountDue);
    await expect(page.locator('#address').textContent()).resolves.toBe(invoice.address);
    // The countdown runs from the server's seconds: 15 minutes by default, less by now.
    const countdown = (await page.locator('#countdown').textContent()) ?? '';
    expect(countdown).toMatch(/^1[45]:\d\d$/);
    // No order details beyond the amount.
    const html = await page.content();
    expect(html).not.toContain('secret-customer-42');
    expect(html).not.toContain(String(invoice['orderId']));
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'waiting-desktop');
    await close(page);

    const mobile = await open(invoice, MOBILE);
    // Readable at 375 px: nothing wider than the viewport.
    expect(await mobile.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await axeViolations(mobile)).toEqual([]);
    await documentationShot(mobile, 'waiting-mobile');
    await close(mobile);
  });

  it('moves live from waiting to received to paid as the simulator pays, without a reload, then links back to the shop', async () => {
    const invoice = await gw.createInvoice('blockonomics', '25.00', { redirectUrl: RETURN_URL });
    const page = await open(invoice);
    await page.evaluate('window.sameDocument = true');
    await expect(headline(page).textContent()).resolves.toBe('Waiting for payment');

    const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [0] });
    await untilHeadline(page, 'Payment received, waiting for confirmations');
    expect(await page.locator('.qr-code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'received-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await documentationShot(page, 'received-mobile');
    await page.setViewportSize(DESKTOP.viewport as { width: number; height: number });

    await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid, statuses: [2] });
    await untilHeadline(page, 'Paid');
    await expect(page.locator('a.button').getAttribute('href')).resolves.toBe(RETURN_URL);
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'paid-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await documentationShot(page, 'paid-mobile');
    await close(page);
  });

  it('after a partial payment shows what was received and what is left, and the QR code switches to the remainder', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    const page = await open(invoice, MOBILE);
    const due = satoshi(invoice.amountDue);
    const half = due / 2n;
    await gw.sandbox.blockonomics.simulator.pay(invoice.address, half);
    await untilHeadline(page, 'Partly paid: please send the rest');
    const remaining = fromSatoshi(due - half);
    await expect(page.locator('#amount-remaining').textContent()).resolves.toBe(remaining);
    await expect(page.locator('.received').textContent()).resolves.toBe(`Received: ${fromSatoshi(half)} / ${invoice.amountDue} BTC`);
    expect(await decodeQr(page)).toBe(`bitcoin:${invoice.address}?amount=${remaining}`);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'partial-mobile');
    await page.setViewportSize(DESKTOP.viewport as { width: number; height: number });
    await documentationShot(page, 'partial-desktop');
    await close(page);
  });

  it('shows expired once the invoice expires', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    const page = await open(invoice);
    await gw.expire(invoice.id);
    await gw.sweep();
    await untilHeadline(page, 'Expired');
    expect(await page.locator('.qr-code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'expired-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await documentationShot(page, 'expired-mobile');
    await close(page);
  });

  it('says so when the payer sent more than asked', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    const page = await open(invoice);
    await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue) + 10_000n, { statuses: [2] });
    await untilHeadline(page, 'Paid (more than asked)');
    expect(await page.locator('.qr-code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'overpaid-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await documentationShot(page, 'overpaid-mobile');
    await close(page);
  });

  it('shows invalid when a payment never confirmed within the monitoring window', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    const page = await open(invoice);
    await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [0] });
    await untilHeadline(page, 'Payment received, waiting for confirmations');
    // Past expiry and the 24 h monitoring window after it: the sweep closes the invoice as invalid.
    await gw.expire(invoice.id, 25 * 60);
    await gw.sweep();
    await untilHeadline(page, 'Invalid');
    expect(await page.locator('.qr-code').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'invalid-desktop');
    await page.setViewportSize({ width: 375, height: 812 });
    await documentationShot(page, 'invalid-mobile');
    await close(page);
  });

  it('without JavaScript shows the current status and refreshes itself while it can change', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    const waiting = await open(invoice, { ...DESKTOP, javaScriptEnabled: false });
    await expect(headline(waiting).textContent()).resolves.toBe('Waiting for payment');
    await expect(waiting.locator('noscript meta[http-equiv="refresh"]').count()).resolves.toBe(1);
    await waiting.context().close();

    await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [2] });
    const paid = await open(invoice, { ...DESKTOP, javaScriptEnabled: false });
    await expect(headline(paid).textContent()).resolves.toBe('Paid');
    await expect(paid.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    await paid.context().close();
  });

  it("speaks the payer's language, and shows BlockBee's minimum payment", async () => {
    const invoice = await gw.createInvoice('blockbee');
    expect(invoice['minimumPayment']).not.toBeNull();
    const page = await open(invoice, { ...DESKTOP, locale: 'de-DE' });
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    await expect(headline(page).textContent()).resolves.toBe('Warten auf Zahlung');
    await expect(page.locator('.notice').textContent()).resolves.toContain(`${String(invoice['minimumPayment'])} BTC`);
    expect(await axeViolations(page)).toEqual([]);
    await documentationShot(page, 'minimum-de-desktop');
    await page.goto(`${String(invoice['checkoutUrl'])}?lang=en`);
    await expect(headline(page).textContent()).resolves.toBe('Waiting for payment');
    await close(page);
  });

  it('answers an unknown or malformed invoice id with a 404 page', async () => {
    const page = await (await browser.newContext(DESKTOP)).newPage();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-invoice']) {
      const res = await page.goto(`${gw.url}/checkout/${id}`);
      expect(res?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('Payment not found');
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
