import { DEFAULT_INVOICE_POLICY, InvoiceError, type InvoicePolicy, validateInvoicePolicy } from '@cryptopay/invoice';
import { ValidateBy } from 'class-validator';

/** The shortest API token accepted: a guessable token would open the invoice API. */
export const MIN_API_TOKEN_LENGTH = 32;
/** Visible ASCII only: anything else could never arrive in an `Authorization: Bearer <token>` header. */
const API_TOKEN = new RegExp(`^[\\x21-\\x7e]{${MIN_API_TOKEN_LENGTH},}$`);
/** As for a callback secret: a random 32+ character token has far more; fewer means a typed or placeholder value. */
const MIN_DISTINCT_CHARACTERS = 10;

/** Long, visible ASCII, and not a repeated or placeholder pattern (`aaaa…`, `abababab…`). */
export function isAcceptableApiToken(token: unknown): boolean {
  return typeof token === 'string' && API_TOKEN.test(token) && new Set(token).size >= MIN_DISTINCT_CHARACTERS;
}

/** What the invoice package says is wrong with one policy field, named by the field alone; null when nothing is. */
function policyProblem(field: keyof InvoicePolicy, value: unknown): string | null {
  try {
    validateInvoicePolicy({ ...DEFAULT_INVOICE_POLICY, [field]: value });
    return null;
  } catch (error) {
    if (error instanceof InvoiceError) return error.message.replace(/^policy\./, '');
    throw error;
  }
}

/** One field of an invoice policy, held to the invoice package's own rule for it (its message, its limits). */
export function IsInvoicePolicyField(field: keyof InvoicePolicy): PropertyDecorator {
  return ValidateBy({
    name: 'invoicePolicy',
    validator: { validate: (value: unknown) => policyProblem(field, value) === null, defaultMessage: (args) => policyProblem(field, args?.value) ?? '' },
  });
}
