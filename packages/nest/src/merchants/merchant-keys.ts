import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { type CredentialKeyRing, type CredentialPlace, type DataKey, decryptCredential, encryptCredential } from './credential-keys.js';

/**
 * Merchants' data keys: created on first need (one per merchant, wrapped by the current
 * key-encryption key), unwrapped on use and kept in memory by their wrapped form (which never
 * changes meaning: a rotation writes a new wrapped form of the same key).
 */
@Injectable()
export class MerchantKeys {
  private readonly unwrapped = new LRUCache<string, DataKey>({ max: 10_000 });

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  /** The merchant's data key, created (and stored wrapped) when it has none yet. */
  async dataKeyOf(merchantId: string): Promise<DataKey> {
    const ring = this.ring();
    const merchant = await this.store.merchants.findMerchant(merchantId);
    if (!merchant) throw new Error(`merchant ${merchantId} does not exist`);
    const wrapped = merchant.dataKey ?? (await this.store.merchants.initDataKey(merchantId, ring.wrapDataKey(merchantId, ring.newDataKey())));
    if (wrapped === null) throw new Error(`merchant ${merchantId} does not exist`);
    return this.unwrap(merchantId, wrapped);
  }

  /** A wrapped data key read with something else (an API key's lookup). */
  unwrap(merchantId: string, wrapped: string): DataKey {
    const cacheKey = `${merchantId}\u0000${wrapped}`;
    const cached = this.unwrapped.get(cacheKey);
    if (cached) return cached;
    const dataKey = this.ring().unwrapDataKey(merchantId, wrapped);
    this.unwrapped.set(cacheKey, dataKey);
    return dataKey;
  }

  async encrypt(place: CredentialPlace, value: string): Promise<string> {
    return encryptCredential(await this.dataKeyOf(place.merchantId), place, value);
  }

  async decrypt(place: CredentialPlace, sealed: string): Promise<string> {
    return decryptCredential(await this.dataKeyOf(place.merchantId), place, sealed);
  }

  private ring(): CredentialKeyRing {
    const ring = this.options.merchants.keyRing;
    if (!ring) throw new ServiceUnavailableException('CREDENTIALS_KEYS is not configured: API keys and provider accounts need it (see docs/merchants.md)');
    return ring;
  }
}
