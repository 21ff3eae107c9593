import { describe, expect, test } from '@jest/globals';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { validateProviderOptions } from '../src/options/index.js';

class DemoOptionsError extends Error {}

class DemoSchema {
  @IsString({ message: 'apiKey must be the key from the dashboard' })
  apiKey!: string;

  @IsOptional()
  @IsInt({ message: 'retries must be a whole number' })
  @Min(0, { message: 'retries must be at least 0' })
  retries?: number;
}

const spec = { provider: 'Demo', schema: DemoSchema, error: DemoOptionsError, required: ['apiKey'] };

describe('validateProviderOptions', () => {
  test('returns the validated schema instance', () => {
    expect(validateProviderOptions({ apiKey: 'k', retries: 2 }, spec)).toEqual(Object.assign(new DemoSchema(), { apiKey: 'k', retries: 2 }));
  });

  test('names every problem, invalid ones first, then unknown keys with the known ones, never a value', () => {
    const attempt = () => validateProviderOptions({ apikey: 'hunter2-secret', retries: -1.5 }, spec);
    expect(attempt).toThrow(DemoOptionsError);
    expect(attempt).toThrow(
      'Invalid Demo options: apiKey must be the key from the dashboard; retries must be at least 0, retries must be a whole number; ' +
        'apikey is not a Demo option (known: apiKey, retries)',
    );
    expect(attempt).not.toThrow('hunter2');
  });

  test.each([undefined, null, 'text', ['apiKey']])('refuses %j as not an object', (options) => {
    expect(() => validateProviderOptions(options, spec)).toThrow('Invalid Demo options: expected an object with apiKey');
  });
});
