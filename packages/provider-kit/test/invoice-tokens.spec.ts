import { createHmac } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { InvoiceTokens, Secret } from '../src/index.js';

const INVOICE = '0b6e4a1c-3f1e-4a57-9d7b-2a51f6f0c001';
const OTHER = '0b6e4a1c-3f1e-4a57-9d7b-2a51f6f0c002';

describe('InvoiceTokens, the invoice-token scheme', () => {
  const tokens = new InvoiceTokens(new Secret('merchant-callback-secret-0123456789'));

  test('derives the token as HMAC-SHA256 of the invoice id, base64url, so a provider can be given it in a URL', () => {
    const expected = createHmac('sha256', 'merchant-callback-secret-0123456789').update(INVOICE, 'utf8').digest('base64url');
    expect(tokens.tokenFor(INVOICE)).toBe(expected);
    expect(tokens.tokenFor(INVOICE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('gives every invoice, and every secret, its own token', () => {
    expect(tokens.tokenFor(OTHER)).not.toBe(tokens.tokenFor(INVOICE));
    expect(new InvoiceTokens(new Secret('another-merchant-secret-0123456789')).tokenFor(INVOICE)).not.toBe(tokens.tokenFor(INVOICE));
  });

  test('matches only the token of the invoice named, without a lookup', () => {
    expect(tokens.matches(INVOICE, tokens.tokenFor(INVOICE))).toBe(true);
    expect(tokens.matches(OTHER, tokens.tokenFor(INVOICE))).toBe(false);
  });

  test.each([
    ['missing', () => undefined],
    ['null', () => null],
    ['empty', () => ''],
    ['a prefix of the token', (token: string) => token.slice(0, -1)],
    ['the token and one more character', (token: string) => `${token}A`],
    ['the token in another case', swapCase],
  ])('refuses a candidate that is %s', (_case, candidateOf) => {
    expect(tokens.matches(INVOICE, candidateOf(tokens.tokenFor(INVOICE)))).toBe(false);
  });

  test('never shows the secret it derives tokens with', () => {
    expect(JSON.stringify(tokens)).not.toContain('merchant-callback-secret');
    expect(String(Object.values(tokens))).not.toContain('merchant-callback-secret');
  });
});

function swapCase(text: string): string {
  return [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
}
