import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import {
  IsHttpUrl,
  IsIpOrCidrList,
  IsProviderName,
  IsRsaPublicKeyPem,
  isHttpUrl,
  isProviderName,
  isRsaPublicKeyPem,
  isStrongCallbackSecret,
  IsStrongCallbackSecret,
  generateCallbackSecret,
  OptionsError,
  type OptionProblem,
  validateOptions,
} from '../src/options/index.js';

class DemoOptionsError extends OptionsError {
  constructor(problems: readonly OptionProblem[]) {
    super('Demo', problems);
  }
}

class RetrySchema {
  @IsInt({ message: 'attempts must be a whole number' })
  attempts!: number;
}

class DemoSchema {
  @IsString({ message: 'apiKey must be the key from the dashboard' })
  apiKey!: string;

  @IsOptional()
  @IsInt({ message: 'retries must be a whole number' })
  @Min(0, { message: 'retries must be at least 0' })
  retries?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => RetrySchema)
  retry?: RetrySchema;

  @IsOptional()
  clock?: unknown;
}

const spec = { subject: 'Demo', schema: DemoSchema, error: (problems: readonly OptionProblem[]) => new DemoOptionsError(problems), required: ['apiKey'] };

const problemsOf = (options: unknown): readonly OptionProblem[] => {
  try {
    validateOptions(options, spec);
  } catch (error) {
    if (error instanceof DemoOptionsError) return error.problems;
    throw error;
  }
  throw new Error('expected the options to be refused');
};

describe('validateOptions', () => {
  test('returns the validated schema instance, nested options as their schema', () => {
    const valid = validateOptions({ apiKey: 'k', retries: 2, retry: { attempts: 3 } }, spec);
    expect(valid).toBeInstanceOf(DemoSchema);
    expect(valid).toMatchObject({ apiKey: 'k', retries: 2, retry: { attempts: 3 } });
    expect(valid.retry).toBeInstanceOf(RetrySchema);
  });

  test('keeps class instances and functions as given (a store, a clock)', () => {
    class Clock {
      now(): number {
        return 1;
      }
    }
    const clock = new Clock();
    expect(validateOptions({ apiKey: 'k', clock }, spec).clock).toBe(clock);
  });

  test('names every problem, invalid ones first, then unknown keys with the known ones, never a value', () => {
    const attempt = () => validateOptions({ apikey: 'hunter2-secret', retries: -1.5 }, spec);
    expect(attempt).toThrow(DemoOptionsError);
    expect(attempt).toThrow(
      'Invalid Demo options: apiKey must be the key from the dashboard; retries must be at least 0, retries must be a whole number; ' +
        'apikey is not a Demo option (known: apiKey, retries, retry, clock)',
    );
    expect(attempt).not.toThrow('hunter2');
  });

  test('gives each problem its option path, nested ones included', () => {
    expect(problemsOf({ apiKey: 'k', retry: { attempts: 'many', every: 5 } })).toEqual([
      { option: 'retry.attempts', message: 'retry.attempts must be a whole number' },
      { option: 'retry.every', message: 'retry.every is not a Demo option' },
    ]);
  });

  test.each([undefined, null, 'text', ['apiKey']])('refuses %j as not an object', (options) => {
    expect(() => validateOptions(options, spec)).toThrow('Invalid Demo options: expected an object with apiKey');
    expect(problemsOf(options)).toEqual([{ option: '', message: 'expected an object with apiKey' }]);
  });
});

describe('the shared rules', () => {
  test.each([
    ['https://pay.example.com', true],
    ['http://127.0.0.1:4010', true],
    ['https://pay.example.com/base/path/', true],
    ['https://pay.example.com/?x=1', false],
    ['https://pay.example.com/#top', false],
    ['https://pay.example.com/a b', false],
    ['ftp://pay.example.com', false],
    ['not a url at all', false],
    ['https://', false],
    [42, false],
  ])('isHttpUrl(%j) is %s', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });

  test.each([
    ['blockonomics', true],
    ['p1', true],
    ['a'.repeat(32), true],
    ['a', false],
    ['a'.repeat(33), false],
    ['Block', false],
    ['1pay', false],
    ['block onomics', false],
  ])('isProviderName(%j) is %s', (value, expected) => {
    expect(isProviderName(value)).toBe(expected);
  });

  test('isRsaPublicKeyPem accepts an RSA key only', () => {
    const pem = (type: 'rsa' | 'ec') =>
      (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 1024 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })).publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString();
    expect(isRsaPublicKeyPem(pem('rsa'))).toBe(true);
    expect(isRsaPublicKeyPem(pem('ec'))).toBe(false);
    expect(isRsaPublicKeyPem('-----BEGIN PUBLIC KEY-----\nbm90LWEta2V5LWF0LWFsbA==\n-----END PUBLIC KEY-----')).toBe(false);
    expect(isRsaPublicKeyPem(undefined)).toBe(false);
  });

  class RulesSchema {
    @IsOptional()
    @IsHttpUrl()
    url?: string;

    @IsOptional()
    @IsIpOrCidrList({ message: 'proxies must be a list of your proxies' })
    proxies?: string[];

    @IsOptional()
    @IsRsaPublicKeyPem()
    key?: string;

    @IsOptional()
    @IsProviderName()
    provider?: string;

    @IsOptional()
    @IsStrongCallbackSecret()
    secret?: string;
  }
  const rulesSpec = { subject: 'Rules', schema: RulesSchema, error: (problems: readonly OptionProblem[]) => new OptionsError('Rules', problems), required: [] };

  test('as decorators: a default message naming the option, or the one given', () => {
    const attempt = () =>
      validateOptions({ url: 'https://x.test/?q', proxies: ['10.0.0.0/8', '10.0.0.0/33'], key: 'k', provider: 'P', secret: 'placeholder-secret' }, rulesSpec);
    expect(attempt).toThrow(
      'Invalid Rules options: url must be an http(s) URL without query or fragment, like https://example.com; ' +
        'proxies must be a list of your proxies; ' +
        'key must be a PEM-encoded RSA public key ("-----BEGIN PUBLIC KEY-----…"); ' +
        'provider must be a provider name: 2–32 lower-case letters, digits or dashes, starting with a letter; ' +
        'secret must be at least 32 random characters of A-Z, a-z, 0-9, _ or - (generateCallbackSecret() or openssl rand -hex 20 makes one)',
    );
    const valid = { url: 'https://x.test', proxies: ['10.0.0.0/8', '::1'], provider: 'p1', secret: generateCallbackSecret() };
    expect(validateOptions(valid, rulesSpec)).toMatchObject({ url: 'https://x.test' });
  });
});

describe('callback secrets', () => {
  test('generateCallbackSecret makes a fresh strong secret each time', () => {
    const [a, b] = [generateCallbackSecret(), generateCallbackSecret()];
    expect(a).toHaveLength(43);
    expect(a).not.toBe(b);
    expect(isStrongCallbackSecret(a)).toBe(true);
  });

  test.each([
    ["the official plugins' 40 hex digits", 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', true],
    ['31 characters', 'a94a8fe5ccb19ba61c4c0873d391e98', false],
    ['a repeated pattern', 'ab'.repeat(20), false],
    ['characters that need URL-encoding', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3&x=1', false],
    ['not text', 42, false],
  ])('isStrongCallbackSecret: %s → %s', (_case, secret, expected) => {
    expect(isStrongCallbackSecret(secret)).toBe(expected);
  });
});
