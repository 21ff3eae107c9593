import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  asJsonObject,
  jsonDecimalText,
  jsonField,
  type JsonNumber,
  jsonNumberText,
  JsonSyntaxError,
  parseJsonExact,
} from '../src/index.js';

describe('parseJsonExact', () => {
  test('keeps every number as its exact source text', () => {
    const parsed = asJsonObject(parseJsonExact('{"price": 64123.45, "tiny": 1e-8, "big": 9007199254740993, "neg": -0.10}'));
    expect(parsed).toBeDefined();
    expect(jsonNumberText(jsonField(parsed!, 'price'))).toBe('64123.45');
    expect(jsonNumberText(jsonField(parsed!, 'tiny'))).toBe('1e-8');
    expect(jsonNumberText(jsonField(parsed!, 'big'))).toBe('9007199254740993');
    expect(jsonNumberText(jsonField(parsed!, 'neg'))).toBe('-0.10');
  });

  test('reads strings, escapes, literals, arrays and nesting like JSON.parse', () => {
    const text = '{"a":"x\\"y\\\\z\\u00e9\\n","b":[true,false,null,[]],"c":{"d":{}}}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  test('reads a value number or string through one decimal accessor', () => {
    const parsed = asJsonObject(parseJsonExact('{"n": 0.05, "s": "0.05", "b": true}'))!;
    expect(jsonDecimalText(jsonField(parsed, 'n'))).toBe('0.05');
    expect(jsonDecimalText(jsonField(parsed, 's'))).toBe('0.05');
    expect(jsonDecimalText(jsonField(parsed, 'b'))).toBeUndefined();
    expect(jsonField(parsed, 'toString')).toBeUndefined();
  });

  test('keeps a "__proto__" key as data instead of a prototype', () => {
    const parsed = asJsonObject(parseJsonExact('{"__proto__": {"polluted": true}}'))!;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(jsonField(parsed, '__proto__')).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['a repeated key', '{"price": 1, "price": 2}', 'duplicate property "price" at position 14'],
    ['a key repeated with an equal number written differently', '{"price": 1, "price": 1.0}', 'duplicate property "price"'],
    ['a key repeated in a nested object', '{"a": {"b": [{"price": 1, "price": 2}]}}', 'duplicate property "price"'],
    ['a repeated key holding an escaped quote', '{"k\\"": 1, "k\\"": 2}', 'duplicate property "k\\""'],
    ['a repeated key beside a string value that looks like a key', '{"a": "\\"x\\": 1", "p": 1, "p": 2}', 'duplicate property "p"'],
    // The keys the text writes are counted against the keys read: none of these may make the counts agree.
    ['a repeated key beside as many string values in a list as keys read', '{"p": 1, "p": 2, "x": ["a", "b"]}', 'duplicate property "p"'],
    ['a repeated key beside as many numbers in a list as keys written', '{"p": 1, "p": 2, "x": [1, 2, 3]}', 'duplicate property "p"'],
    ['a repeated key beside a key of two characters', '{"p":1,"p":2,"qq":3}', 'duplicate property "p"'],
    ['a repeated empty key', '{"":1,"":2,"a":3}', 'duplicate property ""'],
    ['a repeated key where other keys have a space before the colon', '{"p" :1,"p":2,"q" :3}', 'duplicate property "p"'],
    ['a repeated key written once with a space before the colon', '{"p":1,"p" :2,"q":3}', 'duplicate property "p"'],
    ['trailing text', '{"a": 1} x', "Expected end of input but got 'x' at position 9"],
    ['a trailing comma', '[1, 2,]', "Array item expected but got ']'"],
    ['a leading zero', '012', "Expected end of input but got '1'"],
    ['a bare fraction', '.5', "JSON value expected but got '.'"],
    ['NaN', 'NaN', "JSON value expected but got 'N'"],
    ['an unterminated string', '"abc', 'reached end of input'],
    ['a raw newline in a string', '"a\nb"', "Invalid character '\\n' at position 2"],
    ['a bad escape', '"\\x41"', 'Invalid escape character'],
    ['empty input', '', 'JSON value expected but reached end of input'],
    ['deep nesting', '['.repeat(65) + ']'.repeat(65), 'nesting deeper than 64 levels'],
    ['nesting deep enough to exhaust a recursive reader', '['.repeat(50_000) + ']'.repeat(50_000), 'nesting deeper than 64 levels'],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseJsonExact(text)).toThrow(JsonSyntaxError);
    expect(() => parseJsonExact(text)).toThrow(message);
  });

  test('reads nesting up to 64 levels', () => {
    expect(parseJsonExact('['.repeat(64) + ']'.repeat(64))).toBeInstanceOf(Array);
  });

  test('reads a key repeated with the same value once: it cannot mean two things', () => {
    expect(parseJsonExact('{"price": 1.5, "price": 1.5}')).toEqual({ price: expect.objectContaining({ source: '1.5' }) });
  });

  test('says where reading stopped', () => {
    expect(() => parseJsonExact('[1, 2,]')).toThrow(expect.objectContaining({ position: 6 }));
    expect(() => parseJsonExact('{"amount": 1} x')).toThrow(expect.objectContaining({ name: 'JsonSyntaxError', position: 14 }));
  });

  test('reads any number-free JSON, any unicode and escape included, as JSON.parse does', () => {
    // Numbers aside (JSON.parse would make them floats; they are checked as text above and below).
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' })); // printable ASCII, and any code point
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(value, (json) => {
        const source = JSON.stringify(json);
        expect(parseJsonExact(source)).toStrictEqual(JSON.parse(source));
      }),
      { numRuns: 2_000 },
    );
  });

  test('round-trips any decimal text exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.nat({ max: 30 }), (digits, scale) => {
        const text = digits.toString().padStart(scale + 1, '0');
        const decimal = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
        const parsed = parseJsonExact(`[${decimal}]`) as JsonNumber[];
        expect(parsed[0]?.source).toBe(decimal);
      }),
    );
  });
});
