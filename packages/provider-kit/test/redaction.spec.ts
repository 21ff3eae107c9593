import { inspect } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { constantTimeEqual, redactProviderText, redactSecrets, redactUrl, Secret } from '../src/index.js';

describe('Secret', () => {
  const secret = new Secret('s3cr3t-value');

  test('prints as [redacted] in strings, JSON, inspect and errors', () => {
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ apiKey: secret })).toBe('{"apiKey":"[redacted]"}');
    expect(inspect({ apiKey: secret })).not.toContain('s3cr3t');
    // What a debugger or console.log shows: the type, so a reader knows a secret was there.
    expect(inspect({ apiKey: secret })).toBe('{ apiKey: Secret([redacted]) }');
    expect(new Error(`key ${secret}`).message).not.toContain('s3cr3t');
    expect(secret.reveal()).toBe('s3cr3t-value');
  });

  test('matches only the exact value', () => {
    expect(secret.matches('s3cr3t-value')).toBe(true);
    expect(secret.matches('s3cr3t-valuE')).toBe(false);
    expect(secret.matches('s3cr3t-value ')).toBe(false);
    expect(secret.matches('')).toBe(false);
    expect(secret.matches(undefined)).toBe(false);
    expect(constantTimeEqual('a', 'a')).toBe(true);
    expect(constantTimeEqual('a', 'ab')).toBe(false);
  });
});

describe('redactUrl', () => {
  test('hides the named parameters, case-insensitively, and passwords', () => {
    expect(redactUrl('https://user:pw@x.test/cb?Secret=abc&a=1', ['secret'])).toBe('https://user:redacted@x.test/cb?Secret=[redacted]&a=1');
  });

  test('hides a secret nested in a URL-valued parameter', () => {
    const callback = 'https://shop.test/v1/callbacks/blockonomics?secret=abc123';
    const url = `https://www.blockonomics.co/api/new_address?match_callback=${encodeURIComponent(callback)}&crypto=BTC`;
    const redacted = redactUrl(url, ['secret']);
    expect(redacted).not.toContain('abc123');
    expect(decodeURIComponent(redacted)).toContain('callbacks/blockonomics?secret=[redacted]');
    expect(redacted).toContain('crypto=BTC');
  });

  test('says so instead of echoing an unparseable URL', () => {
    expect(redactUrl('not a url secret=abc', ['secret'])).toBe('[unparseable url]');
  });
});

describe('redactSecrets', () => {
  test('removes raw and URL-encoded occurrences from free text', () => {
    const secret = new Secret('a/b c');
    expect(redactSecrets('got a/b c and a%2Fb%20c', [secret])).toBe('got [redacted] and [redacted]');
  });

  test('removes base64 (standard, unpadded, URL-safe) and form-encoded occurrences too (issue 18 §4)', () => {
    const secret = new Secret('s3cr3t?value>~');
    const base64 = Buffer.from('s3cr3t?value>~').toString('base64');
    const text = `b64 ${base64} bare ${base64.replace(/=+$/, '')} url ${Buffer.from('s3cr3t?value>~').toString('base64url')} form ${encodeURIComponent('s3cr3t?value>~')}`;
    expect(redactSecrets(text, [secret])).toBe('b64 [redacted] bare [redacted] url [redacted] form [redacted]');
  });
});

describe('redactProviderText', () => {
  const secret = new Secret('known-secret-123');

  test('removes known secrets and the named parameters of any URL in the text', () => {
    const text = 'bad callback https://shop.test/cb?invoice=7&nonce=n0nce&secret=old-one, key known-secret-123.';
    const redacted = redactProviderText(text, [secret], ['secret', 'nonce']);
    expect(redacted).toBe('bad callback https://shop.test/cb?invoice=7&nonce=[redacted]&secret=[redacted] key [redacted].');
  });

  test('leaves text without secrets or URLs unchanged', () => {
    expect(redactProviderText('Gap limit reached (code 1002)', [secret], ['secret'])).toBe('Gap limit reached (code 1002)');
  });
});
