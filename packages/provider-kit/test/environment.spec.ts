import 'reflect-metadata';
import { describe, expect, test } from '@jest/globals';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max } from 'class-validator';
import { type ProviderSetting } from '../src/index.js';
import {
  commaSeparated,
  type Environment,
  IsHttpUrl,
  IsIpOrCidrList,
  type OptionProblem,
  OptionsError,
  optionsFromEnvironment,
  validateOptions,
  wholeNumber,
} from '../src/options/index.js';

class ExampleOptionsError extends OptionsError {
  constructor(problems: readonly OptionProblem[]) {
    super('Example', problems);
  }
}

class ExampleSchema {
  @IsString({ message: 'apiKey must be the key from the Example dashboard' })
  @IsNotEmpty({ message: 'apiKey must not be empty' })
  apiKey!: string;

  @IsOptional()
  @IsHttpUrl({ message: 'apiBaseUrl must be an http(s) URL' })
  apiBaseUrl?: string;

  @IsOptional()
  @IsIpOrCidrList({ message: 'allowlist must be a list of IP addresses or CIDR ranges' })
  allowlist?: string[];

  @IsOptional()
  @IsIpOrCidrList({ message: 'trustedProxies must be a list of IP addresses or CIDR ranges' })
  trustedProxies?: string[];

  @IsOptional()
  @IsInt({ message: 'confirmations must be a whole number up to 6' })
  @Max(6, { message: 'confirmations must be a whole number up to 6' })
  confirmations?: number;
}

const SETTINGS: readonly ProviderSetting[] = [
  { variable: 'EXAMPLE_API_KEY', option: 'apiKey', secret: true, description: 'the key', enables: true },
  { variable: 'EXAMPLE_API_URL', option: 'apiBaseUrl', secret: false, description: 'the API' },
  { variable: 'EXAMPLE_ALLOWED_IPS', option: 'allowlist', secret: false, description: 'callback sources' },
  { variable: 'EXAMPLE_CONFIRMATIONS', option: 'confirmations', secret: false, description: 'confirmations' },
];

function fromEnvironment(env: Environment): ExampleSchema | null {
  return optionsFromEnvironment(env, {
    settings: SETTINGS,
    read: { allowlist: commaSeparated, confirmations: wholeNumber },
    supplied: { trustedProxies: ['10.0.0.0/8'] },
    check: ({ apiKey, apiBaseUrl }) => [
      ...(typeof apiKey === 'string' && apiKey.length < 8 ? [{ option: 'apiKey', message: 'apiKey is too short for a key from the Example dashboard' }] : []),
      ...(typeof apiBaseUrl === 'string' && !apiBaseUrl.startsWith('https://') ? [{ option: 'apiBaseUrl', message: 'apiBaseUrl must use https in production' }] : []),
    ],
    validate: (options) =>
      validateOptions(options, { subject: 'Example', schema: ExampleSchema, error: (problems) => new ExampleOptionsError(problems), required: ['apiKey'] }),
    error: (problems) => new ExampleOptionsError(problems),
  });
}

function problemsOf(env: Environment): readonly OptionProblem[] {
  try {
    fromEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ExampleOptionsError);
    return (error as ExampleOptionsError).problems;
  }
  throw new Error('the environment was accepted');
}

describe('optionsFromEnvironment', () => {
  test('sets each variable given as its option, read as the module takes it, with what the app supplies', () => {
    const env = { EXAMPLE_API_KEY: ' example-key ', EXAMPLE_ALLOWED_IPS: '192.0.2.7, 198.51.100.0/24,,', EXAMPLE_CONFIRMATIONS: '3', EXAMPLE_API_URL: '' };
    expect(fromEnvironment(env)).toMatchObject({
      apiKey: 'example-key',
      allowlist: ['192.0.2.7', '198.51.100.0/24'],
      confirmations: 3,
      trustedProxies: ['10.0.0.0/8'],
    });
    expect(fromEnvironment(env)?.apiBaseUrl).toBeUndefined();
  });

  test.each([{}, { EXAMPLE_API_KEY: '   ' }, { EXAMPLE_API_URL: 'https://api.example.test' }])('is null while no enabling variable is given: %j', (env) => {
    expect(fromEnvironment(env)).toBeNull();
  });

  test('checks the variables given also while not enabled, and only those', () => {
    expect(problemsOf({ EXAMPLE_API_URL: 'https://api.example.test/?x', EXAMPLE_CONFIRMATIONS: 'two' })).toEqual([
      { option: 'apiBaseUrl', message: 'apiBaseUrl must be an http(s) URL' },
      { option: 'confirmations', message: 'confirmations must be a whole number up to 6' },
    ]);
  });

  test("names every problem by its option, the environment's own rules first, never a value", () => {
    const problems = problemsOf({ EXAMPLE_API_KEY: 'hunter2', EXAMPLE_ALLOWED_IPS: '192.0.2.7,example.test', EXAMPLE_CONFIRMATIONS: '9' });
    expect(problems).toEqual([
      { option: 'apiKey', message: 'apiKey is too short for a key from the Example dashboard' },
      { option: 'allowlist', message: 'allowlist must be a list of IP addresses or CIDR ranges' },
      { option: 'confirmations', message: 'confirmations must be a whole number up to 6' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  test("refuses an option once: by the environment's rule, not again by the module's", () => {
    expect(problemsOf({ EXAMPLE_API_KEY: 'example-key', EXAMPLE_API_URL: 'ftp://api.example.test' })).toEqual([
      { option: 'apiBaseUrl', message: 'apiBaseUrl must use https in production' },
    ]);
  });
});

test('commaSeparated and wholeNumber read variables as options take them', () => {
  expect(commaSeparated(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  expect([wholeNumber('0'), wholeNumber('42'), wholeNumber('-1'), wholeNumber('1.5'), wholeNumber('two')]).toEqual([0, 42, '-1', '1.5', 'two']);
});
