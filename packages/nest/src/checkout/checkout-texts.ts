import { type CheckoutPhase } from './checkout-status.js';

/** Every text the checkout page shows, per language. `{name}` is filled in (and escaped) by the template. */
export interface CheckoutTexts {
  readonly languageName: string;
  readonly title: string;
  readonly phases: Readonly<Record<CheckoutPhase, { readonly headline: string; readonly detail: string }>>;
  readonly amountToPay: string;
  readonly price: string;
  readonly sendExactly: string;
  readonly address: string;
  readonly copy: string;
  readonly copied: string;
  readonly network: string;
  readonly timeLeft: string;
  readonly received: string;
  readonly remaining: string;
  readonly minimumPayment: string;
  readonly restBelowMinimum: string;
  readonly qrAlt: string;
  readonly openWallet: string;
  readonly returnToMerchant: string;
  readonly reload: string;
  readonly noScript: string;
  readonly notFoundTitle: string;
  readonly notFoundDetail: string;
  readonly language: string;
}

const EN: CheckoutTexts = {
  languageName: 'English',
  title: 'Payment',
  phases: {
    waiting: { headline: 'Waiting for payment', detail: 'Send the amount below to the address below. This page updates by itself.' },
    partial: { headline: 'Partly paid: please send the rest', detail: 'We received part of the payment. Send the remaining amount to the same address.' },
    received: { headline: 'Payment received, waiting for confirmations', detail: 'Your payment is on its way. The order is paid once the network confirms it; you can close this page.' },
    paid: { headline: 'Paid', detail: 'Your payment is confirmed. Thank you!' },
    overpaid: { headline: 'Paid (more than asked)', detail: 'Your payment is confirmed. You sent more than the amount due; contact the merchant about the difference.' },
    expired: { headline: 'Expired', detail: 'This payment request has expired. Do not send anything to this address; ask the merchant for a new one.' },
    invalid: { headline: 'Invalid', detail: 'This payment could not be completed. Please contact the merchant.' },
  },
  amountToPay: 'Amount to pay',
  price: 'Price',
  sendExactly: 'Send exactly this amount. Network fees are paid on top.',
  address: 'Address',
  copy: 'Copy',
  copied: 'Copied',
  network: 'Network',
  timeLeft: 'Time left',
  received: 'Received',
  remaining: 'Still to pay',
  minimumPayment: 'The smallest payment this address accepts is {amount} {coin}; a smaller one may be lost.',
  restBelowMinimum: 'The rest, {rest} {coin}, is less than the smallest payment this address accepts: send {amount} {coin} instead. The difference goes to the merchant.',
  qrAlt: 'QR code of the payment request: {uri}',
  openWallet: 'Open in wallet',
  returnToMerchant: 'Return to {name}',
  reload: 'Reload to see the latest status',
  noScript: 'This page refreshes every 15 seconds.',
  notFoundTitle: 'Payment not found',
  notFoundDetail: 'There is no payment request at this address. Check the link the merchant gave you.',
  language: 'Language',
};

const DE: CheckoutTexts = {
  languageName: 'Deutsch',
  title: 'Zahlung',
  phases: {
    waiting: { headline: 'Warten auf Zahlung', detail: 'Senden Sie den Betrag unten an die Adresse unten. Diese Seite aktualisiert sich selbst.' },
    partial: { headline: 'Teilweise bezahlt: bitte den Rest senden', detail: 'Ein Teil der Zahlung ist eingegangen. Senden Sie den Restbetrag an dieselbe Adresse.' },
    received: { headline: 'Zahlung erhalten, warten auf Bestätigungen', detail: 'Ihre Zahlung ist unterwegs. Die Bestellung ist bezahlt, sobald das Netzwerk sie bestätigt; Sie können diese Seite schließen.' },
    paid: { headline: 'Bezahlt', detail: 'Ihre Zahlung ist bestätigt. Vielen Dank!' },
    overpaid: { headline: 'Bezahlt (mehr als verlangt)', detail: 'Ihre Zahlung ist bestätigt. Sie haben mehr als den fälligen Betrag gesendet; wenden Sie sich wegen der Differenz an den Händler.' },
    expired: { headline: 'Abgelaufen', detail: 'Diese Zahlungsanforderung ist abgelaufen. Senden Sie nichts mehr an diese Adresse; fragen Sie den Händler nach einer neuen.' },
    invalid: { headline: 'Ungültig', detail: 'Diese Zahlung konnte nicht abgeschlossen werden. Bitte wenden Sie sich an den Händler.' },
  },
  amountToPay: 'Zu zahlender Betrag',
  price: 'Preis',
  sendExactly: 'Senden Sie genau diesen Betrag. Netzwerkgebühren kommen hinzu.',
  address: 'Adresse',
  copy: 'Kopieren',
  copied: 'Kopiert',
  network: 'Netzwerk',
  timeLeft: 'Verbleibende Zeit',
  received: 'Erhalten',
  remaining: 'Noch zu zahlen',
  minimumPayment: 'Die kleinste Zahlung, die diese Adresse annimmt, ist {amount} {coin}; eine kleinere kann verloren gehen.',
  restBelowMinimum: 'Der Rest, {rest} {coin}, ist kleiner als die kleinste Zahlung, die diese Adresse annimmt: senden Sie stattdessen {amount} {coin}. Die Differenz geht an den Händler.',
  qrAlt: 'QR-Code der Zahlungsanforderung: {uri}',
  openWallet: 'In Wallet öffnen',
  returnToMerchant: 'Zurück zu {name}',
  reload: 'Neu laden, um den aktuellen Stand zu sehen',
  noScript: 'Diese Seite lädt sich alle 15 Sekunden neu.',
  notFoundTitle: 'Zahlung nicht gefunden',
  notFoundDetail: 'Unter dieser Adresse gibt es keine Zahlungsanforderung. Prüfen Sie den Link, den Ihnen der Händler gegeben hat.',
  language: 'Sprache',
};

export const CHECKOUT_LANGUAGES: Readonly<Record<string, CheckoutTexts>> = { en: EN, de: DE };
export const DEFAULT_LANGUAGE = 'en';

/** `?lang=` when it names a language we have, else the best of `Accept-Language` (the negotiation of the `accepts` package, as Express's), else English. */
export function checkoutLanguage(query: unknown, accepts: (languages: string[]) => string | false): string {
  const codes = Object.keys(CHECKOUT_LANGUAGES);
  if (typeof query === 'string' && codes.includes(query)) return query;
  const negotiated = accepts(codes);
  return typeof negotiated === 'string' ? negotiated : DEFAULT_LANGUAGE;
}

/** Fills `{name}` placeholders; the template escapes the result. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
