import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Eta } from 'eta';
import { expressAppOf } from '../http/route-bodies.js';

/** The package's `checkout/` folder: the same two levels up from `src/checkout` and `dist/checkout`. */
const CHECKOUT_DIR = fileURLToPath(new URL('../../checkout/', import.meta.url));
const VIEWS_DIR = `${CHECKOUT_DIR}views`;

/** Absolute paths, so the app's own `views` folder and default engine are left as they are. */
export const PAGE_VIEW = `${VIEWS_DIR}/page.eta`;
export const NOT_FOUND_VIEW = `${VIEWS_DIR}/not-found.eta`;

/** The page's static files, read once; served by the checkout controller. */
export const CHECKOUT_ASSETS = {
  css: readFileSync(`${CHECKOUT_DIR}public/checkout.css`, 'utf8'),
  js: readFileSync(`${CHECKOUT_DIR}public/checkout.js`, 'utf8'),
};

/**
 * Registers Eta (which escapes every `<%= %>` by default) as the Express engine for `.eta` files,
 * so the controller renders through Nest's `@Render`. Only the extension is registered: an app's own
 * view engine and views folder stay its own.
 */
@Injectable()
export class CheckoutViews implements OnModuleInit {
  private readonly eta = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true });

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    expressAppOf(this.host)?.engine('eta', (path: string, data: object, done: (error: unknown, html?: string) => void) => {
      try {
        done(null, this.eta.render(`./${basename(path, '.eta')}`, data));
      } catch (error) {
        done(error);
      }
    });
  }
}
