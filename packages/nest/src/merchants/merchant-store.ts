/**
 * The merchant part of the store port (`PaymentsStore.merchants`), implemented by `@cryptopay/store`'s
 * `MerchantDirectory`. It holds hashes and ciphertexts only; keys and credentials in clear never reach it.
 */
export interface MerchantStore {
  createMerchant(merchant: Omit<MerchantRecord, 'dataKey'>): Promise<MerchantRecord>;
  listMerchants(): Promise<MerchantRecord[]>;
  findMerchant(id: string): Promise<MerchantRecord | null>;
  /** Sets the wrapped data key unless one is set; returns the one in force. */
  initDataKey(merchantId: string, wrapped: string): Promise<string | null>;
  /** Replaces a wrapped data key if it is still `previous`. */
  replaceDataKey(merchantId: string, previous: string, wrapped: string): Promise<boolean>;
  createApiKey(key: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void>;
  listApiKeys(merchantId: string): Promise<ApiKeyRecord[]>;
  findApiKey(id: string): Promise<{ readonly key: ApiKeyRecord; readonly dataKey: string | null } | null>;
  revokeApiKey(merchantId: string, id: string, at: Date): Promise<boolean>;
  createProviderAccount(account: ProviderAccountRecord): Promise<void>;
  listProviderAccounts(merchantId: string): Promise<ProviderAccountRecord[]>;
  findProviderAccount(id: string): Promise<ProviderAccountRecord | null>;
  updateProviderAccount(id: string, version: number, change: ProviderAccountChange, at: Date): Promise<ProviderAccountRecord | null>;
  countProviderAccounts(): Promise<number>;
}

export interface MerchantRecord {
  readonly id: string;
  readonly name: string;
  readonly dataKey: string | null;
  readonly createdAt: Date;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface ProviderAccountRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly provider: string;
  readonly label: string | null;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Ciphertexts by field name. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type ProviderAccountChange = Partial<Pick<ProviderAccountRecord, 'label' | 'enabled' | 'settings' | 'credentials'>>;
