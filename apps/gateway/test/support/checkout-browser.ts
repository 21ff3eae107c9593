import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { GATEWAY_DIR } from './gateway-dir.js';

// jsqr is a CommonJS bundle whose function is its `default` export.
const jsQR = jsQRModule.default;

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing): no browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, as root in CI (no sandbox), and quiet: the machines have no internet. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does so)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
}

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1024, height: 900 } };
export const MOBILE: BrowserContextOptions = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

/** Collects the page's Content-Security-Policy violations (added before any of the page's own scripts run). */
export async function watchCspViolations(page: Page): Promise<void> {
  await page.addInitScript(`
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
  `);
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate('window.cspViolations');
}

/** The text the QR code on the page holds, read from a screenshot of it. */
export async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.locator('.qr-code').screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations (WCAG A/AA), injected through the DevTools protocol, which the page's CSP does not govern. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
      .then((result) => result.violations.map((violation) => violation.id + ': ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))
  `);
}

/**
 * The screenshots in docs/checkout.md, taken by these tests when `CHECKOUT_SCREENSHOTS` names the
 * folder to write them to (`CHECKOUT_SCREENSHOTS=docs/checkout`, from the repository root).
 */
export async function documentationShot(page: Page, name: string): Promise<void> {
  const folder = process.env['CHECKOUT_SCREENSHOTS'];
  if (!folder) return;
  const dir = join(GATEWAY_DIR, '../..', folder);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Coin units as an exact decimal string from base units with 8 decimals (38988n → "0.00038988"). */
export function fromSatoshi(units: bigint): string {
  const digits = units.toString().padStart(9, '0');
  const whole = digits.slice(0, -8);
  const fraction = digits.slice(-8).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
