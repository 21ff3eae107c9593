import {
  CommonProviderOptionsSchema,
  IsHttpUrl,
  IsIpOrCidrList,
  IsRsaPublicKeyPem,
  type OptionProblem,
  OptionsError,
  validateOptions,
} from '@cryptopay/provider-kit/options';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { BLOCKBEE_API_URL } from '../api-client.js';
import { BLOCKBEE_PUBLIC_KEY_PEM } from '../verification/public-key.js';
import { BLOCKBEE_COINS } from '../mapping/coins.js';
import { BLOCKBEE_CALLBACK_IPS } from '../verification/source-allowlist.js';

/** What an app configures for BlockBee (`BlockBeeModule.forRoot(...)`). */
export interface BlockBeeOptions {
  /** BlockBee dashboard > API Keys. */
  readonly apiKey: string;
  /** Default `https://api.blockbee.io`; the simulator's URL in tests and sandbox mode. */
  readonly apiBaseUrl?: string;
  /** IPs (or CIDR ranges) callbacks may come from; default BlockBee's published 51.77.105.132 and 135.125.112.47. */
  readonly allowlist?: readonly string[];
  /** Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed; default none (the socket peer counts). */
  readonly trustedProxies?: readonly string[];
  /** PEM of the callback signing key; default BlockBee's published key. */
  readonly publicKeyPem?: string;
  /** Also fetch the key from BlockBee's `/pubkey/` (cached 24 h; a failed fetch keeps the key in use). Default false. */
  readonly refreshPublicKey?: boolean;
  /** Our codes of the coins to invoice in; default every coin BlockBee is mapped for. */
  readonly coins?: readonly string[];
  /** Confirmations BlockBee waits for before the confirmed webhook, 1 to 50. Default 1. */
  readonly confirmations?: number;
  /** Whether simulator (sandbox) payments may move invoices; on in sandbox mode only. Default false. */
  readonly allowTestPayments?: boolean;
  /** Per-request timeout for BlockBee's API, in ms. Default 10000. */
  readonly timeoutMs?: number;
}

/** The options as the adapter takes them: validated, every default filled in. */
export type ResolvedBlockBeeOptions = Required<BlockBeeOptions>;

const COIN_CODES = BLOCKBEE_COINS.map((coin) => coin.code);

/** The validation schema; messages never include the value (the API key is a secret). */
class BlockBeeOptionsSchema extends CommonProviderOptionsSchema implements BlockBeeOptions {
  @IsString({ message: 'apiKey must be the API key string from the BlockBee dashboard' })
  @IsNotEmpty({ message: 'apiKey must not be empty; copy it from the BlockBee dashboard' })
  apiKey!: string;

  @IsOptional()
  @IsHttpUrl({ message: 'apiBaseUrl must be an http(s) URL such as https://api.blockbee.io' })
  apiBaseUrl?: string;

  @IsOptional()
  @ArrayMaxSize(64, { message: 'allowlist must list at most 64 entries' })
  @IsIpOrCidrList({ message: 'allowlist must be a list of IP addresses or CIDR ranges such as ["51.77.105.132", "135.125.112.47"]' })
  allowlist?: string[];

  @IsOptional()
  @IsIpOrCidrList({ message: 'trustedProxies must be a list of IP addresses or CIDR ranges such as "10.0.0.0/8"' })
  trustedProxies?: string[];

  @IsOptional()
  @IsArray({ message: `coins must be a list of coin codes among ${COIN_CODES.join(', ')}` })
  @ArrayNotEmpty({ message: 'coins must list at least one coin (omit it to accept every mapped coin)' })
  @IsIn(COIN_CODES, { each: true, message: `coins must contain only ${COIN_CODES.join(', ')}` })
  coins?: string[];

  @IsOptional()
  @IsRsaPublicKeyPem({ message: 'publicKeyPem must be a PEM-encoded RSA public key ("-----BEGIN PUBLIC KEY-----…")' })
  publicKeyPem?: string;

  @IsOptional()
  @IsBoolean({ message: 'refreshPublicKey must be true or false' })
  refreshPublicKey?: boolean;

  @IsOptional()
  @IsInt({ message: 'confirmations must be a whole number from 1 to 50' })
  @Min(1, { message: 'confirmations must be at least 1 (pending payments are reported anyway)' })
  @Max(50, { message: 'confirmations must be at most 50' })
  confirmations?: number;
}

/** Raised at start-up for invalid options; names each bad option and what is expected, never its value. */
export class BlockBeeOptionsError extends OptionsError {
  override readonly name = 'BlockBeeOptionsError';

  constructor(problems: readonly OptionProblem[]) {
    super('BlockBee', problems);
  }
}

/** Validates options (unknown keys included) and fills in every default. */
export function validateBlockBeeOptions(options: unknown): ResolvedBlockBeeOptions {
  const valid = validateOptions(options, {
    subject: 'BlockBee',
    schema: BlockBeeOptionsSchema,
    error: (problems) => new BlockBeeOptionsError(problems),
    required: ['apiKey'],
  });
  return {
    apiKey: valid.apiKey,
    apiBaseUrl: valid.apiBaseUrl ?? BLOCKBEE_API_URL,
    allowlist: valid.allowlist ?? BLOCKBEE_CALLBACK_IPS,
    trustedProxies: valid.trustedProxies ?? [],
    coins: valid.coins ?? COIN_CODES,
    publicKeyPem: valid.publicKeyPem ?? BLOCKBEE_PUBLIC_KEY_PEM,
    refreshPublicKey: valid.refreshPublicKey ?? false,
    confirmations: valid.confirmations ?? 1,
    allowTestPayments: valid.allowTestPayments ?? false,
    timeoutMs: valid.timeoutMs ?? 10_000,
  };
}
