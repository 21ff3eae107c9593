import { resolveClientIp, TrustedProxies } from '@cryptopay/provider-kit';
import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ThrottlerStorage } from '@nestjs/throttler';
import { type HttpRequest } from '../http/platform.js';
import { PAYMENTS_MODULE_OPTIONS } from '../tokens.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';

/**
 * `@nestjs/throttler` is CommonJS requiring the ESM `@nestjs/common`: loaded once `@nestjs/common` is
 * evaluated (by this module's static imports), since a require of an ES module still being linked is
 * refused (Jest's ESM mode does link it early).
 */
const { ThrottlerGuard, ThrottlerStorageService } = await import('@nestjs/throttler');

/** A fresh in-memory counter store for the checkout's guard. */
export function checkoutThrottlerStorage(): ThrottlerStorage {
  return new ThrottlerStorageService();
}

/** The checkout's own counters, so an app's `ThrottlerModule` (and its global options) is never touched. */
export const CHECKOUT_THROTTLER_STORAGE = Symbol('CHECKOUT_THROTTLER_STORAGE');

/**
 * `@nestjs/throttler`'s guard with the checkout's limit, per client IP: the socket peer, or behind
 * the module's `trustedProxies` the client they forwarded for (the same rule as the callback log).
 * Counted per instance, in memory.
 */
@Injectable()
export class CheckoutThrottlerGuard extends ThrottlerGuard {
  private readonly proxies: TrustedProxies;

  constructor(
    @Inject(CHECKOUT_OPTIONS) checkout: ResolvedCheckoutOptions,
    @Inject(PAYMENTS_MODULE_OPTIONS) payments: ResolvedPaymentsOptions,
    @Inject(CHECKOUT_THROTTLER_STORAGE) storage: ThrottlerStorage,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super({ throttlers: [{ name: 'checkout', ttl: checkout.rateWindowMs, limit: checkout.rateLimit }] }, storage, reflector);
    this.proxies = new TrustedProxies(payments.trustedProxies);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as HttpRequest;
    const forwarded = request.headers['x-forwarded-for'];
    return resolveClientIp(request.socket.remoteAddress ?? '', Array.isArray(forwarded) ? forwarded.join(',') : forwarded, this.proxies);
  }
}
