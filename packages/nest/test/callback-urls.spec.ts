import { describe, expect, it } from '@jest/globals';
import { type HttpAdapterHost } from '@nestjs/core';
import { CallbackUrls } from '../src/callbacks/callback-urls.js';
import { type PaymentsModuleOptions } from '../src/index.js';

/** The callback URLs handed to providers in an app without HTTP (an application context); under a prefix, see callback-route.spec. */
describe('the callback URLs of an app that serves no HTTP', () => {
  const urls = (publicUrl: string) => new CallbackUrls({ httpAdapter: undefined } as unknown as HttpAdapterHost, { publicUrl } as PaymentsModuleOptions);

  it('are the public URL and the callback path, whatever slashes the public URL ends with', () => {
    expect(urls('https://pay.example.test').forProvider('testpay')).toBe('https://pay.example.test/v1/callbacks/testpay');
    expect(urls('https://pay.example.test/shop//').forProvider('testpay')).toBe('https://pay.example.test/shop/v1/callbacks/testpay');
  });

  it('name a merchant’s provider account after the provider', () => {
    expect(urls('https://pay.example.test/').forAccount('testpay', 'pa_0123')).toBe('https://pay.example.test/v1/callbacks/testpay/pa_0123');
  });
});
