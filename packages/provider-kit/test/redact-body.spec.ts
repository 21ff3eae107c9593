import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { bodyFields, redactBody } from '../src/index.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json; charset=utf-8';
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

describe('redactBody, form bodies', () => {
  test('replaces the named fields’ values, case-insensitively and also encoded names, and keeps every other byte', () => {
    const body = 'id=7&Token=s3cr3t&amount=0.5&t%6Fken=again&note=a+b%20c&token';
    expect(redactBody(body, FORM, ['token'])).toBe('id=7&Token=[redacted]&amount=0.5&t%6Fken=[redacted]&note=a+b%20c&token');
  });

  test('redacts every repetition, and an empty value too', () => {
    expect(redactBody('token=a&token=&x=1', FORM, ['TOKEN'])).toBe('token=[redacted]&token=[redacted]&x=1');
  });

  test('redacts the value of a name that is not valid percent-encoding, as it may be read as anything', () => {
    expect(redactBody('tok%zzen=s3cr3t&x=1', FORM, ['token'])).toBe('tok%zzen=[redacted]&x=1');
  });

  test('returns bytes for bytes, exact around the redaction even where they are not UTF-8', () => {
    const body = new Uint8Array([...Buffer.from('a=\xff\xfe&token=s3cr3t&b=', 'latin1'), 0xc3, 0xa9, 0x80]);
    const redacted = redactBody(body, FORM, ['token']);
    expect(redacted).toBeInstanceOf(Uint8Array);
    expect([...redacted]).toEqual([...Buffer.from('a=\xff\xfe&token=[redacted]&b=', 'latin1'), 0xc3, 0xa9, 0x80]);
  });

  test('reads a name written in UTF-8 bytes', () => {
    expect(text(redactBody(bytes('jeton€=s3cr3t&x=1'), FORM, ['jeton€']))).toBe('jeton€=[redacted]&x=1');
  });

  test('never leaves a secret value behind, whatever the other fields are', () => {
    const field = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(field, fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.nat(6), (pairs, at) => {
        const secret = 'S3CR3T-VALUE';
        const fields = [...pairs];
        fields.splice(Math.min(at, fields.length), 0, ['token', secret]);
        const body = fields.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
        const redacted = redactBody(body, FORM, ['token']);
        expect(redacted).not.toContain(secret);
        // Everything else is as sent.
        expect(redacted.split('&').filter((pair) => !pair.startsWith('token='))).toEqual(body.split('&').filter((pair) => !pair.startsWith('token=')));
      }),
    );
  });
});

describe('redactBody, JSON bodies', () => {
  test('replaces the named top-level fields’ values with a JSON string, keeping the layout and nested fields', () => {
    const body = '{ "id" : "7", "Token":"s3cr3t",\n "amount": 12345678901234567890, "nested": {"token": "kept"}, "list": [1, {"token": 2}], "sig": {"a": [true]} }';
    expect(redactBody(body, JSON_TYPE, ['token', 'sig'])).toBe(
      '{ "id" : "7", "Token":"[redacted]",\n "amount": 12345678901234567890, "nested": {"token": "kept"}, "list": [1, {"token": 2}], "sig": "[redacted]" }',
    );
  });

  test('reads escaped names and strings with escaped quotes', () => {
    expect(redactBody('{"a":"x\\"y","\\u0074oken":"s\\"3"}', JSON_TYPE, ['token'])).toBe('{"a":"x\\"y","\\u0074oken":"[redacted]"}');
  });

  test('redacts a number, a literal or null as the value', () => {
    expect(redactBody('{"token":123456,"pin":null,"flag":true}', JSON_TYPE, ['token', 'pin', 'flag'])).toBe('{"token":"[redacted]","pin":"[redacted]","flag":"[redacted]"}');
  });

  test('tells JSON from a form by its first character when the content type names neither', () => {
    expect(redactBody('  {"token":"s3cr3t"}', undefined, ['token'])).toBe('  {"token":"[redacted]"}');
    expect(redactBody('token=s3cr3t', 'text/plain', ['token'])).toBe('token=[redacted]');
    expect(redactBody('{"token":"s3cr3t"}', 'application/vnd.provider+json', ['token'])).toBe('{"token":"[redacted]"}');
  });

  test.each([
    ['cut off in a secret', '{"id":"7","token":"s3cr3', '{"id":"7","token":[redacted]'],
    ['cut off after a secret', '{"token":"s3cr3t","amount":', '{"token":"[redacted]","amount":[redacted]'],
    ['with a name not in quotes', '{id:7,"token":"s3cr3t"}', '{[redacted]'],
    ['with a name that is not a JSON string', '{"to\\ken":"s3cr3t"}', '{[redacted]'],
    ['with something after the object', '{"id":"7"} token=s3cr3t', '{"id":"7"}[redacted]'],
    ['without a comma', '{"id":"7" "token":"s3cr3t"}', '{"id":"7" [redacted]'],
    ['that is a list, not an object', '[{"token":"s3cr3t"}]', '[redacted]'],
    ['that is JSON by its content type only', 'token=s3cr3t', '[redacted]'],
    ['with unbalanced brackets', '{"x":[{"y":1},"token":"s3cr3t"}', '{"x":[redacted]'],
  ])('keeps a malformed body up to where it stops being readable: %s', (_case, body, expected) => {
    expect(redactBody(body, JSON_TYPE, ['token'])).toBe(expected);
  });

  test('keeps an empty object and a blank body as they are', () => {
    expect(redactBody(' { } ', JSON_TYPE, ['token'])).toBe(' { } ');
    expect(redactBody('  ', JSON_TYPE, ['token'])).toBe('  ');
  });

  test('returns the very bytes given when nothing is named or nothing is secret', () => {
    const body = bytes('{"id":"7"}');
    expect(redactBody(body, JSON_TYPE, [])).toBe(body);
    expect(redactBody(body, JSON_TYPE, ['token'])).toBe(body);
  });

  test('never leaves a secret value behind and keeps valid JSON valid', () => {
    const member = fc.tuple(fc.string({ maxLength: 8 }).filter((name) => name.toLowerCase() !== 'token'), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.array(member, { maxLength: 5 }), fc.nat(5), fc.boolean(), (members, at, pretty) => {
        const secret = 'S3CR3T-VALUE';
        const entries = [...members];
        entries.splice(Math.min(at, entries.length), 0, ['token', secret]);
        const body = `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value, null, pretty ? 1 : undefined)}`).join(pretty ? ',\n ' : ',')}}`;
        const redacted = redactBody(body, JSON_TYPE, ['token']);
        expect(redacted).not.toContain(secret);
        expect(redacted).toBe(body.replace(`"token":${JSON.stringify(secret)}`, '"token":"[redacted]"'));
      }),
    );
  });
});

describe('bodyFields', () => {
  test('lists the top-level fields of a form or JSON body, in order, with their values decoded', () => {
    expect(bodyFields('a=1&t%6Fken=x%2By+z&flag&b+c=3', FORM)).toEqual([
      { name: 'a', value: '1' },
      { name: 'token', value: 'x+y z' },
      { name: 'b c', value: '3' },
    ]);
    expect(bodyFields(bytes('{"a":{"nested":1},"\\u0074oken":"x\\"€","n":12345678901234567890}'), JSON_TYPE)).toEqual([
      { name: 'a', value: '{"nested":1}' },
      { name: 'token', value: 'x"€' },
      { name: 'n', value: '12345678901234567890' },
    ]);
  });

  test('is null for a body it cannot read to the end', () => {
    expect(bodyFields('{"a":1', JSON_TYPE)).toBeNull();
    expect(bodyFields('[1]', JSON_TYPE)).toBeNull();
  });
});

describe('redactBody, telling a form from JSON', () => {
  test('reads the content type whatever its case and spacing, and believes it over the first character', () => {
    expect(redactBody('{x}=1&secret=abc', 'Application/X-WWW-Form-URLencoded; charset=utf-8', ['secret'])).toBe('{x}=1&secret=[redacted]');
    // Declared JSON that is not: nothing can be read, so nothing is shown.
    expect(redactBody('secret=abc', ' Application/JSON ; charset=utf-8', ['secret'])).toBe('[redacted]');
  });

  test('takes any +json media type for JSON', () => {
    expect(redactBody('secret=abc', 'application/problem+json', ['secret'])).toBe('[redacted]');
  });

  test('sniffs JSON only from the first character, not from a brace further on', () => {
    expect(redactBody('a=1&b={x}', undefined, ['b'])).toBe('a=1&b=[redacted]');
  });
});

describe('redactBody, with no secret field declared', () => {
  test('keeps the body as it came, even one it could not read', () => {
    expect(redactBody('%zz=1&a=2', FORM, [])).toBe('%zz=1&a=2');
    expect(redactBody('{"a":', JSON_TYPE, [])).toBe('{"a":');
  });
});

describe('redactBody, JSON layout and malformed JSON', () => {
  test('reads every kind of JSON whitespace between the tokens', () => {
    const body = '{\n\t"secret"\r\n:\t"x" ,\r"b"\n:\r1\t}\r\n';
    expect(redactBody(body, JSON_TYPE, ['secret'])).toBe('{\n\t"secret"\r\n:\t"[redacted]" ,\r"b"\n:\r1\t}\r\n');
  });

  test.each([
    ['with text after an empty object', '{} x', '{}[redacted]'],
    ['with a number for a name', '{1}', '{[redacted]'],
    ['without a colon after a name', '{"a" 1, "secret": "x"}', '{"a" [redacted]'],
    ['with a member that has no value', '{"a":}', '{"a":[redacted]'],
    ['with a string left open inside a secret object', '{"secret":{"k":"unterminated}', '{"secret":[redacted]'],
    ['with a secret object left open', '{"secret":{"k":1', '{"secret":[redacted]'],
  ])('keeps a malformed body up to where it stops being readable: %s', (_case, body, expected) => {
    expect(redactBody(body, JSON_TYPE, ['secret'])).toBe(expected);
  });
});

describe('bodyFields, more', () => {
  test('lists a form field whose name is not valid percent-encoding under an empty name', () => {
    expect(bodyFields('%zz=1&a=2', FORM)).toEqual([
      { name: '', value: '1' },
      { name: 'a', value: '2' },
    ]);
  });

  test('is null for a member without a value', () => {
    expect(bodyFields('{"a":}', JSON_TYPE)).toBeNull();
  });

  test('reads text already decoded as it is, not as bytes', () => {
    expect(bodyFields('memo=café&x=%C3%A9', FORM)).toEqual([
      { name: 'memo', value: 'café' },
      { name: 'x', value: 'é' },
    ]);
    expect(bodyFields('{"memo":"café"}', JSON_TYPE)).toEqual([{ name: 'memo', value: 'café' }]);
  });
});
