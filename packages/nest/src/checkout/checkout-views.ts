import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import { type CheckoutPageData } from './checkout-page.js';

/** The package's `checkout/` folder: the same two levels up from `src/checkout` and `dist/checkout`. */
const CHECKOUT_DIR = fileURLToPath(new URL('../../checkout/', import.meta.url));
const VIEWS_DIR = `${CHECKOUT_DIR}views`;

/** The page's static files, read once; served by the checkout controller. */
export const CHECKOUT_ASSETS = {
  css: readFileSync(`${CHECKOUT_DIR}public/checkout.css`, 'utf8'),
  js: readFileSync(`${CHECKOUT_DIR}public/checkout.js`, 'utf8'),
};

export const HTML = 'text/html; charset=utf-8';

/**
 * The checkout's pages, rendered by Eta (which escapes every `<%= %>` by default) from the package's
 * own views. Rendered here rather than through the platform's view engine, so that the app's own
 * engine and views folder stay its own, and the page is the same on Express and Fastify.
 */
@Injectable()
export class CheckoutViews {
  private readonly eta = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true });

  page(data: CheckoutPageData): string {
    return this.eta.render('./page', data);
  }

  notFound(data: CheckoutPageData): string {
    return this.eta.render('./not-found', data);
  }
}
