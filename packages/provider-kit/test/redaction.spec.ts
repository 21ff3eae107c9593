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

describe('redactUrl, what it keeps and what it hides', () => {
  test('drops the fragment, which may carry a secret and never reaches the provider', () => {
    expect(redactUrl('https://x.test/cb?a=1#secret=abc', ['secret'])).toBe('https://x.test/cb?a=1');
    expect(redactUrl('https://x.test/cb#token', ['secret'])).toBe('https://x.test/cb');
  });

  test('leaves a URL without query, fragment or password as it is', () => {
    expect(redactUrl('https://x.test/cb', ['secret'])).toBe('https://x.test/cb');
    expect(redactUrl('https://user@x.test/cb?a=1', ['secret'])).toBe('https://user@x.test/cb?a=1');
  });

  test('keeps parameters without a value, even one whose name starts like a secret', () => {
    expect(redactUrl('https://x.test/cb?flag&secretx&secret', ['secret'])).toBe('https://x.test/cb?flag&secretx&secret');
  });

  test('recognises a secret parameter whose name is percent- or plus-encoded', () => {
    expect(redactUrl('https://x.test/cb?S%65cret=abc&api+key=k&x=1', ['secret', 'api key'])).toBe(
      'https://x.test/cb?S%65cret=[redacted]&api+key=[redacted]&x=1',
    );
    expect(redactUrl('https://x.test/cb?a+b+c=1', ['a b c'])).toBe('https://x.test/cb?a+b+c=[redacted]');
  });

  test('keeps a name or value that is not valid percent-encoding as sent, and still hides a secret one', () => {
    expect(redactUrl('https://x.test/cb?%zz=1&v=%zz&secret=%zz', ['secret'])).toBe('https://x.test/cb?%zz=1&v=%zz&secret=[redacted]');
  });

  test('hides secrets in nested http and https URLs, whatever the case of their scheme', () => {
    const url = 'https://x.test/cb?c2=http://y.test/p?secret=1&c3=HTTPS://y.test/p?secret=2';
    expect(redactUrl(url, ['secret'])).toBe(
      `https://x.test/cb?c2=${encodeURIComponent('http://y.test/p?secret=[redacted]')}&c3=${encodeURIComponent('https://y.test/p?secret=[redacted]')}`,
    );
  });

  test('leaves a nested URL without a query, and a value that only mentions a URL, byte for byte', () => {
    const url = 'https://x.test/cb?back=https://y.test/path&note=see+https://y.test/p?a=1';
    expect(redactUrl(url, ['secret'])).toBe(url);
  });
});

describe('redactSecrets, every written form', () => {
  test('removes the standard base64 of a secret without its two padding characters', () => {
    // '>>>~' is 'Pj4+fg==' in base64: unpadded 'Pj4+fg', URL-safe 'Pj4-fg'.
    const secret = new Secret('>>>~');
    expect(redactSecrets('padded Pj4+fg== bare Pj4+fg url Pj4-fg', [secret])).toBe('padded [redacted] bare [redacted] url [redacted]');
  });

  test('replaces the longest form first, so none is left half-replaced', () => {
    // 'Vm0' is itself the start of its base64, 'Vm0w'.
    expect(redactSecrets('key Vm0w', [new Secret('Vm0')])).toBe('key [redacted]');
  });

  test('replaces a secret once even when several of its forms are the same text', () => {
    // 'act' is its own URL encoding, and a part of the word "[redacted]" put in its place.
    expect(redactSecrets('an act of paying', [new Secret('act')])).toBe('an [redacted] of paying');
  });

  test('removes a secret with spaces written form-encoded, with + for each space', () => {
    expect(redactSecrets('form a+b+c url a%20b%20c', [new Secret('a b c')])).toBe('form [redacted] url [redacted]');
  });

  test('ignores an empty secret instead of redacting between every character', () => {
    expect(redactSecrets('no secret here', [new Secret('')])).toBe('no secret here');
  });

  test('removes every secret it is given, every time they occur', () => {
    const text = 'one k1 two k2 again k1';
    const secrets = [new Secret('k1'), new Secret('k2')];
    expect(redactSecrets(text, secrets)).toBe('one [redacted] two [redacted] again [redacted]');
    // Again, from the forms worked out the first time.
    expect(redactSecrets(text, secrets)).toBe('one [redacted] two [redacted] again [redacted]');
  });
});

describe('redactProviderText, URLs in free text', () => {
  test('redacts plain http URLs too', () => {
    expect(redactProviderText('callback http://shop.test/cb?secret=abc failed', [], ['secret'])).toBe('callback http://shop.test/cb?secret=[redacted] failed');
  });

  test('redacts each URL up to whitespace, a quote or an angle bracket, whatever the case of its scheme', () => {
    const text = `see "https://a.test/x?secret=1" and <HTTPS://b.test/y?secret=2> then 'https://c.test/?secret=3' https://d.test/?secret=4\tend`;
    expect(redactProviderText(text, [], ['secret'])).toBe(
      `see "https://a.test/x?secret=[redacted]" and <https://b.test/y?secret=[redacted]> then 'https://c.test/?secret=[redacted]' https://d.test/?secret=[redacted]\tend`,
    );
  });
});
