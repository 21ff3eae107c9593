import accepts from 'accepts';
import QRCode from 'qrcode';
import { type HttpRequest, incomingOf } from '../http/platform.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { type CheckoutModel, type CheckoutPhase } from './checkout-status.js';
import { CHECKOUT_LANGUAGES, checkoutLanguage, type CheckoutTexts, fill } from './checkout-texts.js';

/** What the page template (`checkout/views/page.eta`) is given; every value is escaped there but the QR's SVG. */
export interface CheckoutPageData {
  readonly lang: string;
  /** The checkout's path as mounted (global prefix included): the page's links are absolute paths. */
  readonly base: string;
  readonly t: CheckoutTexts;
  readonly fill: typeof fill;
  readonly brand: ResolvedCheckoutOptions['branding'];
  readonly model: CheckoutModel | null;
  /** Made here by `qrcode` from the payment URI: markup of our own, not of the request. */
  readonly qrSvg: string | null;
  readonly countdown: string;
  /** What the script compares each status event with (`checkout.js` stateOf). */
  readonly state: string;
  /** No more changes are expected: the page stops refreshing itself. */
  readonly settledPhase: boolean;
  readonly languages: readonly { readonly code: string; readonly name: string; readonly current: boolean }[];
}

const FINAL_PHASES: ReadonlySet<CheckoutPhase> = new Set(['paid', 'overpaid', 'expired', 'invalid']);

export function pageLanguage(req: HttpRequest): string {
  return checkoutLanguage((req.query as Record<string, unknown>)['lang'], (codes) => accepts(incomingOf(req)).languages(codes));
}

export async function checkoutPageData(model: CheckoutModel | null, lang: string, base: string, options: ResolvedCheckoutOptions): Promise<CheckoutPageData> {
  const t = CHECKOUT_LANGUAGES[lang] as CheckoutTexts;
  return {
    lang,
    base,
    t,
    fill,
    brand: options.branding,
    model,
    qrSvg: model?.paymentUri ? await QRCode.toString(model.paymentUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }) : null,
    countdown: minutesAndSeconds(model?.secondsLeft ?? 0),
    state: model ? [model.status, model.exceptionStatus ?? '', model.amountPaid, model.paymentUri ?? ''].join('|') : '',
    settledPhase: model === null || FINAL_PHASES.has(model.phase),
    languages: Object.entries(CHECKOUT_LANGUAGES).map(([code, texts]) => ({ code, name: texts.languageName, current: code === lang })),
  };
}

/** "14:05", or "1:02:03" past an hour. */
export function minutesAndSeconds(total: number): string {
  const hours = Math.floor(total / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
