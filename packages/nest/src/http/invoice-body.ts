import { type RequestHandler } from 'express';
import { strictJsonBody } from './json-body.js';
import { logRefusal } from './refusal-log.js';
import { routeBodyOf } from './route-bodies.js';

/** The invoice API, whose JSON bodies are parsed strictly. */
export const INVOICES_PATH = '/v1/invoices';
export const INVOICE_BODY_LIMIT = '100kb';
/** What the strict parser takes; any other type is left unread, for it to refuse (415). */
export const INVOICE_BODY_TYPES = ['application/json', 'application/*+json'];

/**
 * The invoice API's body parser, in the request's pipeline (after the app's own middleware, so a
 * refusal is logged with the request's id). The bytes were read ahead of the app's parsers
 * (`RouteBodies`), which leaves the body read for {@link strictJsonBody}; a body that could not be
 * read is refused here as the strict parser refuses it.
 */
export function invoiceBodyParser(): RequestHandler {
  const strict = strictJsonBody({ limit: INVOICE_BODY_LIMIT });
  return (req, res, next) => {
    const body = routeBodyOf(req);
    if (!body || !('refusal' in body)) return strict(req, res, next);
    logRefusal(req, body.refusal.status, body.refusal.error.message);
    next(body.refusal.error);
  };
}
