import { describe, expect, test } from '@jest/globals';
import {
  PaymentBelowMinimumError,
  ProviderError,
  providerErrorForStatus,
  SandboxPaymentUnsupportedError,
  SandboxStateLostError,
  UnsupportedCurrencyError,
} from '../src/index.js';

describe('ProviderError', () => {
  test('names the provider before the problem, and carries the HTTP status and Retry-After it was given', () => {
    const error = new ProviderError('blockbee', 'rate-limit', 'too many requests', { httpStatus: 429, retryAfterSeconds: 30 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProviderError');
    expect(error.message).toBe('blockbee: too many requests');
    expect(error.provider).toBe('blockbee');
    expect(error.kind).toBe('rate-limit');
    expect(error.httpStatus).toBe(429);
    expect(error.retryAfterSeconds).toBe(30);
  });

  test('has no HTTP status or Retry-After when the provider never answered', () => {
    const error = new ProviderError('blockbee', 'unavailable', 'could not reach it');
    expect(error.httpStatus).toBeNull();
    expect(error.retryAfterSeconds).toBeNull();
  });

  test.each([
    ['rate-limit', true],
    ['unavailable', true],
    ['auth', false],
    ['gap-limit', false],
    ['rejected', false],
    ['invalid-response', false],
  ] as const)('a %s failure is retryable: %s', (kind, retryable) => {
    expect(new ProviderError('p1', kind, 'x').retryable).toBe(retryable);
  });
});

describe('providerErrorForStatus', () => {
  test.each([
    [401, 'auth', 'p1: the API key was refused (HTTP 401): bad key'],
    [403, 'auth', 'p1: the API key was refused (HTTP 403): bad key'],
    [429, 'rate-limit', 'p1: too many requests (HTTP 429): bad key'],
    [500, 'unavailable', 'p1: the service failed (HTTP 500): bad key'],
    [503, 'unavailable', 'p1: the service failed (HTTP 503): bad key'],
    [400, 'rejected', 'p1: the request was refused (HTTP 400): bad key'],
    [402, 'rejected', 'p1: the request was refused (HTTP 402): bad key'],
    [404, 'rejected', 'p1: the request was refused (HTTP 404): bad key'],
    [499, 'rejected', 'p1: the request was refused (HTTP 499): bad key'],
  ] as const)('reads HTTP %i as %s, with the status and the detail in the message', (status, kind, message) => {
    const error = providerErrorForStatus('p1', status, 'bad key');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
    expect(error.httpStatus).toBe(status);
    expect(error.retryAfterSeconds).toBeNull();
  });
});

describe('PaymentBelowMinimumError', () => {
  test('names the amount, the minimum and why the invoice is refused', () => {
    const error = new PaymentBelowMinimumError('blockbee', '0.00001', '0.0001', 'BTC');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PaymentBelowMinimumError');
    expect(error.message).toBe(
      "the amount, 0.00001 BTC, is below blockbee's minimum transaction of 0.0001 BTC: smaller payments are ignored by blockbee and the funds lost; invoice at least the minimum",
    );
    expect([error.provider, error.amount, error.minimum, error.coin]).toEqual(['blockbee', '0.00001', '0.0001', 'BTC']);
  });
});

describe('SandboxStateLostError', () => {
  test('names the address the sandbox forgot and what to do', () => {
    const error = new SandboxStateLostError('blockonomics', 'bc1qexample');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SandboxStateLostError');
    expect(error.message).toBe(
      'the blockonomics sandbox no longer knows address bc1qexample: its simulator keeps no state across restarts, so create a new invoice to pay',
    );
  });

  test('quotes at most 100 characters of the address it was given', () => {
    const error = new SandboxStateLostError('blockonomics', `${'a'.repeat(100)}TAIL`);
    expect(error.message).toContain(`address ${'a'.repeat(100)}: its simulator`);
    expect(error.message).not.toContain('TAIL');
  });
});

describe('SandboxPaymentUnsupportedError', () => {
  test('keeps its own name and the message it was given', () => {
    const error = new SandboxPaymentUnsupportedError('BlockBee does not report Replace-By-Fee');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SandboxPaymentUnsupportedError');
    expect(error.message).toBe('BlockBee does not report Replace-By-Fee');
  });
});

describe('UnsupportedCurrencyError', () => {
  test('names the currency and the ones the provider prices', () => {
    const error = new UnsupportedCurrencyError('blockbee', 'XAU', ['USD', 'EUR', 'CHF']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UnsupportedCurrencyError');
    expect(error.message).toBe('blockbee cannot price invoices in XAU: it supports USD, EUR, CHF');
    expect([error.provider, error.currency, error.supported]).toEqual(['blockbee', 'XAU', ['USD', 'EUR', 'CHF']]);
  });

  test('points to where the provider lists its currencies when it gave no list', () => {
    expect(new UnsupportedCurrencyError('blockonomics', 'XAU', [], 'https://www.blockonomics.co/api/price').message).toBe(
      'blockonomics cannot price invoices in XAU: see https://www.blockonomics.co/api/price for the currencies it supports',
    );
  });

  test("points to the provider's documentation when it said neither", () => {
    expect(new UnsupportedCurrencyError('blockonomics', 'XAU', []).message).toBe(
      "blockonomics cannot price invoices in XAU: see blockonomics's documentation for the currencies it supports",
    );
  });
});
