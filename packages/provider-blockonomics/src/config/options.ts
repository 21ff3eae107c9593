import { CommonProviderOptionsSchema, IsHttpUrl, IsStrongCallbackSecret, type OptionProblem, OptionsError, validateOptions } from '@cryptopay/provider-kit/options';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { DEFAULT_REQUIRED_CONFIRMATIONS, REQUIRED_CONFIRMATION_CHOICES, type RequiredConfirmations } from '../mapping/confirmation-rules.js';
import { DEFAULT_API_BASE_URL, DEFAULT_BCH_API_BASE_URL } from '../wire/constants.js';

/** What an app configures for Blockonomics (`BlockonomicsModule.forRoot(...)`). */
export interface BlockonomicsOptions {
  /** Blockonomics > Stores > API Key. */
  readonly apiKey: string;
  /** At least 32 random URL-safe characters; see provider-kit's `generateCallbackSecret()`. Goes into the store's callback URL. */
  readonly callbackSecret: string;
  /** Default `https://www.blockonomics.co` (BTC); point it at the simulator in tests and sandbox mode. */
  readonly apiBaseUrl?: string;
  /** Default `https://bch.blockonomics.co`. */
  readonly bchApiBaseUrl?: string;
  /** Confirmations before a payment counts: 0, 1 or 2 (default 2). */
  readonly confirmations?: RequiredConfirmations;
  /** Whether dashboard test payments may move invoices (on in sandbox mode only). Default false. */
  readonly allowTestPayments?: boolean;
  /** Per-request timeout for Blockonomics' API, in ms. Default 10000. */
  readonly timeoutMs?: number;
  /**
   * Every callback comes from the simulator (sandbox mode): each payment is a test payment, whatever
   * its txid, so it can never move an invoice that does not allow test payments. Default false.
   */
  readonly simulated?: boolean;
  /** This instance's budget of history requests (`searchhistory`, for reconciliation) a minute. Default 2, Blockonomics' published limit. */
  readonly historyRequestsPerMinute?: number;
}

/** The options as the adapter takes them: validated, every default filled in. */
export type ResolvedBlockonomicsOptions = Required<BlockonomicsOptions>;

const HISTORY_RATE_MESSAGE = 'historyRequestsPerMinute must be a whole number from 1 to 10000 (Blockonomics allows 2)';
/** Blockonomics' published limit for its history and balance APIs. */
export const DEFAULT_HISTORY_REQUESTS_PER_MINUTE = 2;

/** The validation schema; messages never include the value (it may be a secret). */
class BlockonomicsOptionsSchema extends CommonProviderOptionsSchema implements BlockonomicsOptions {
  @IsString({ message: 'apiKey must be the API key string from Blockonomics > Stores' })
  @IsNotEmpty({ message: 'apiKey must not be empty; copy it from Blockonomics > Stores' })
  apiKey!: string;

  @IsStrongCallbackSecret()
  callbackSecret!: string;

  @IsOptional()
  @IsHttpUrl({ message: 'apiBaseUrl must be an http(s) URL such as https://www.blockonomics.co' })
  apiBaseUrl?: string;

  @IsOptional()
  @IsHttpUrl({ message: 'bchApiBaseUrl must be an http(s) URL such as https://bch.blockonomics.co' })
  bchApiBaseUrl?: string;

  @IsOptional()
  @IsIn(REQUIRED_CONFIRMATION_CHOICES, { message: 'confirmations must be 0, 1 or 2 (the number 2 is recommended)' })
  confirmations?: RequiredConfirmations;

  @IsOptional()
  @IsBoolean({ message: 'simulated must be true or false' })
  simulated?: boolean;

  @IsOptional()
  @IsInt({ message: HISTORY_RATE_MESSAGE })
  @Min(1, { message: HISTORY_RATE_MESSAGE })
  @Max(10_000, { message: HISTORY_RATE_MESSAGE })
  historyRequestsPerMinute?: number;
}

/** Raised at start-up for invalid options; names each bad option and what is expected, never its value. */
export class BlockonomicsOptionsError extends OptionsError {
  override readonly name = 'BlockonomicsOptionsError';

  constructor(problems: readonly OptionProblem[]) {
    super('Blockonomics', problems);
  }
}

/** Validates options (unknown keys included) and fills in every default. */
export function validateBlockonomicsOptions(options: unknown): ResolvedBlockonomicsOptions {
  const valid = validateOptions(options, {
    subject: 'Blockonomics',
    schema: BlockonomicsOptionsSchema,
    error: (problems) => new BlockonomicsOptionsError(problems),
    required: ['apiKey', 'callbackSecret'],
  });
  return {
    apiKey: valid.apiKey,
    callbackSecret: valid.callbackSecret,
    apiBaseUrl: valid.apiBaseUrl ?? DEFAULT_API_BASE_URL,
    bchApiBaseUrl: valid.bchApiBaseUrl ?? DEFAULT_BCH_API_BASE_URL,
    confirmations: valid.confirmations ?? DEFAULT_REQUIRED_CONFIRMATIONS,
    allowTestPayments: valid.allowTestPayments ?? false,
    timeoutMs: valid.timeoutMs ?? 10_000,
    simulated: valid.simulated ?? false,
    historyRequestsPerMinute: valid.historyRequestsPerMinute ?? DEFAULT_HISTORY_REQUESTS_PER_MINUTE,
  };
}
