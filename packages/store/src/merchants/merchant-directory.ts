import { type Kysely, type Selectable, sql } from 'kysely';
import { guard } from '../database/failures.js';
import { type ApiKeysTable, type MerchantsTable, type ProviderAccountsTable, type StoreDatabase } from '../database/schema.js';

/** A merchant as stored; `dataKey` is its wrapped data key (never a key in clear). */
export interface MerchantRecord {
  readonly id: string;
  readonly name: string;
  readonly dataKey: string | null;
  readonly createdAt: Date;
}

/** An API key as stored: its keyed hash, never the key. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** A provider account as stored: `credentials` are ciphertexts by field name. */
export interface ProviderAccountRecord {
  readonly id: string;
  readonly merchantId: string;
  readonly provider: string;
  readonly label: string | null;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, string>>;
  /** Bumped on every change: adapters are cached per (account, version). */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a change of an account writes; unset fields keep their value. */
export type ProviderAccountChange = Partial<Pick<ProviderAccountRecord, 'label' | 'enabled' | 'settings' | 'credentials'>>;

/**
 * Merchants, their API keys and their provider accounts. Holds only what the application gives it:
 * hashes and ciphertexts, never a key or credential in clear.
 */
export class MerchantDirectory {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async createMerchant(merchant: Omit<MerchantRecord, 'dataKey'>): Promise<MerchantRecord> {
    const row = { id: merchant.id, name: merchant.name, data_key: null, created_at: merchant.createdAt };
    await guard(() => this.db.insertInto('merchants').values(row).execute());
    return toMerchant(row);
  }

  async listMerchants(): Promise<MerchantRecord[]> {
    const rows = await guard(() => this.db.selectFrom('merchants').selectAll().orderBy('created_at').orderBy('id').execute());
    return rows.map(toMerchant);
  }

  async findMerchant(id: string): Promise<MerchantRecord | null> {
    const row = await guard(() => this.db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst());
    return row ? toMerchant(row) : null;
  }

  /**
   * Sets the merchant's wrapped data key unless it has one, and returns the one in force: two
   * instances racing to create it agree on the first written.
   */
  async initDataKey(merchantId: string, wrapped: string): Promise<string | null> {
    await guard(() => this.db.updateTable('merchants').set({ data_key: wrapped }).where('id', '=', merchantId).where('data_key', 'is', null).execute());
    return (await this.findMerchant(merchantId))?.dataKey ?? null;
  }

  /** Replaces a wrapped data key if it is still `previous` (key rotation); false when it changed meanwhile. */
  async replaceDataKey(merchantId: string, previous: string, wrapped: string): Promise<boolean> {
    const result = await guard(() =>
      this.db.updateTable('merchants').set({ data_key: wrapped }).where('id', '=', merchantId).where('data_key', '=', previous).executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  async createApiKey(key: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    const row = { id: key.id, merchant_id: key.merchantId, name: key.name, secret_hash: key.secretHash, scopes: [...key.scopes], created_at: key.createdAt, revoked_at: null };
    await guard(() => this.db.insertInto('api_keys').values(row).execute());
  }

  async listApiKeys(merchantId: string): Promise<ApiKeyRecord[]> {
    const rows = await guard(() => this.db.selectFrom('api_keys').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at').orderBy('id').execute());
    return rows.map(toApiKey);
  }

  /** The key with this id and its merchant's wrapped data key, in one read: the per-request lookup. */
  async findApiKey(id: string): Promise<{ readonly key: ApiKeyRecord; readonly dataKey: string | null } | null> {
    const row = await guard(() =>
      this.db
        .selectFrom('api_keys')
        .innerJoin('merchants', 'merchants.id', 'api_keys.merchant_id')
        .selectAll('api_keys')
        .select('merchants.data_key')
        .where('api_keys.id', '=', id)
        .executeTakeFirst(),
    );
    return row ? { key: toApiKey(row), dataKey: row.data_key } : null;
  }

  /** Revokes the merchant's key; false when it has no such key (or it was revoked already). */
  async revokeApiKey(merchantId: string, id: string, at: Date): Promise<boolean> {
    const result = await guard(() =>
      this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('merchant_id', '=', merchantId).where('revoked_at', 'is', null).executeTakeFirst(),
    );
    return result.numUpdatedRows === 1n;
  }

  async createProviderAccount(account: ProviderAccountRecord): Promise<void> {
    await guard(() => this.db.insertInto('provider_accounts').values(accountRow(account)).execute());
  }

  async listProviderAccounts(merchantId: string): Promise<ProviderAccountRecord[]> {
    const rows = await guard(() =>
      this.db.selectFrom('provider_accounts').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at').orderBy('id').execute(),
    );
    return rows.map(toAccount);
  }

  async findProviderAccount(id: string): Promise<ProviderAccountRecord | null> {
    const row = await guard(() => this.db.selectFrom('provider_accounts').selectAll().where('id', '=', id).executeTakeFirst());
    return row ? toAccount(row) : null;
  }

  /** Applies `change` if the account is still at `version`; the changed account, or null when it moved on (or is gone). */
  async updateProviderAccount(id: string, version: number, change: ProviderAccountChange, at: Date): Promise<ProviderAccountRecord | null> {
    const row = await guard(() =>
      this.db
        .updateTable('provider_accounts')
        .set({
          ...(change.label === undefined ? {} : { label: change.label }),
          ...(change.enabled === undefined ? {} : { enabled: change.enabled }),
          ...(change.settings === undefined ? {} : { settings: JSON.stringify(change.settings) }),
          ...(change.credentials === undefined ? {} : { credentials: JSON.stringify(change.credentials) }),
          version: version + 1,
          updated_at: at,
        })
        .where('id', '=', id)
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst(),
    );
    return row ? toAccount(row) : null;
  }

  /** How many provider accounts the database holds: live mode then needs the credential keys. */
  async countProviderAccounts(): Promise<number> {
    const { count } = await guard(() => this.db.selectFrom('provider_accounts').select(sql<string>`count(*)::text`.as('count')).executeTakeFirstOrThrow());
    return Number(count);
  }
}

function toMerchant(row: Selectable<MerchantsTable>): MerchantRecord {
  return { id: row.id, name: row.name, dataKey: row.data_key, createdAt: row.created_at };
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    name: row.name,
    secretHash: row.secret_hash,
    scopes: row.scopes,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function accountRow(account: ProviderAccountRecord) {
  return {
    id: account.id,
    merchant_id: account.merchantId,
    provider: account.provider,
    label: account.label,
    enabled: account.enabled,
    settings: JSON.stringify(account.settings),
    credentials: JSON.stringify(account.credentials),
    version: account.version,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
  };
}

function toAccount(row: Selectable<ProviderAccountsTable>): ProviderAccountRecord {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    provider: row.provider,
    label: row.label,
    enabled: row.enabled,
    settings: row.settings,
    credentials: row.credentials,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
