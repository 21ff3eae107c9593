import { IsHttpUrl, type OptionProblem, OptionsError, validateOptions } from '@cryptopay/provider-kit/options';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** The payer's page brand: the merchant's name, logo and accent colour. */
export interface CheckoutBranding {
  /** Shown in the header and the page title (default "cryptopay"). */
  readonly name?: string;
  /** An https URL of the logo image (the page's Content-Security-Policy allows images from its origin). */
  readonly logoUrl?: string;
  /** The accent colour as `#rrggbb` (default `#1a56db`); text on it is white, so pick a dark one. */
  readonly accentColor?: string;
}

/**
 * The hosted checkout page (`PaymentsModule.forRoot({ checkout: {...} })`): off unless given. Given at
 * module definition, not through `forRootAsync`'s factory, because it decides which routes exist.
 */
export interface CheckoutOptions {
  /** Default true once `checkout` is given; false leaves the routes out and `checkoutUrl` null. */
  readonly enabled?: boolean;
  /** Where the page is mounted, below the app's global prefix (default `checkout`). */
  readonly path?: string;
  readonly branding?: CheckoutBranding;
  /** How often an open event stream re-reads its invoice, in milliseconds (default 2 000). */
  readonly pollIntervalMs?: number;
  /** Requests per client IP per `rateWindowMs` on the checkout routes (default 120 per 60 000 ms). */
  readonly rateLimit?: number;
  readonly rateWindowMs?: number;
}

export interface ResolvedCheckoutOptions {
  readonly path: string;
  readonly branding: Required<Omit<CheckoutBranding, 'logoUrl'>> & { readonly logoUrl: string | null };
  readonly pollIntervalMs: number;
  readonly rateLimit: number;
  readonly rateWindowMs: number;
}

export const CHECKOUT_DEFAULTS = {
  path: 'checkout',
  name: 'cryptopay',
  accentColor: '#1a56db',
  pollIntervalMs: 2_000,
  rateLimit: 120,
  rateWindowMs: 60_000,
} as const;

const MAX_TIMER_MS = 2_147_483_647;

class BrandingSchema {
  @IsOptional()
  @IsString({ message: 'checkout.branding.name must be text of 1 to 80 characters' })
  @Matches(/^[^\p{Cc}]{1,80}$/u, { message: 'checkout.branding.name must be text of 1 to 80 characters' })
  name?: string;

  @IsOptional()
  @IsHttpUrl({ message: 'checkout.branding.logoUrl must be an http(s) URL of the logo image' })
  @MaxLength(2_000, { message: 'checkout.branding.logoUrl must be at most 2000 characters' })
  logoUrl?: string;

  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'checkout.branding.accentColor must be a colour like #1a56db' })
  accentColor?: string;
}

class CheckoutSchema {
  @IsOptional()
  @IsBoolean({ message: 'checkout.enabled must be true or false' })
  enabled?: boolean;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/, { message: 'checkout.path must be a path like "checkout" or "pay/checkout" (lower-case letters, digits, hyphens)' })
  path?: string;

  @IsOptional()
  @IsObject({ message: 'checkout.branding must be an object of name, logoUrl and accentColor' })
  @ValidateNested()
  @Type(() => BrandingSchema)
  branding?: BrandingSchema;

  @IsOptional()
  @IsInt({ message: `checkout.pollIntervalMs must be a whole number of milliseconds from 100 to ${MAX_TIMER_MS}` })
  @Min(100, { message: `checkout.pollIntervalMs must be a whole number of milliseconds from 100 to ${MAX_TIMER_MS}` })
  @Max(MAX_TIMER_MS, { message: `checkout.pollIntervalMs must be a whole number of milliseconds from 100 to ${MAX_TIMER_MS}` })
  pollIntervalMs?: number;

  @IsOptional()
  @IsInt({ message: 'checkout.rateLimit must be a whole number of requests ≥ 1' })
  @Min(1, { message: 'checkout.rateLimit must be a whole number of requests ≥ 1' })
  rateLimit?: number;

  @IsOptional()
  @IsInt({ message: `checkout.rateWindowMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` })
  @Min(1, { message: `checkout.rateWindowMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` })
  @Max(MAX_TIMER_MS, { message: `checkout.rateWindowMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` })
  rateWindowMs?: number;
}

/** The checkout options are unusable: each problem named by its option path. */
export class CheckoutConfigError extends OptionsError {
  override readonly name = 'CheckoutConfigError';

  constructor(problems: readonly OptionProblem[]) {
    super('PaymentsModule checkout', problems.map((problem) => ({ ...problem, option: `checkout.${problem.option}` })));
  }
}

/** Null when the checkout is off (not given, or `enabled: false`); otherwise every default filled in. */
export function resolveCheckoutOptions(options: CheckoutOptions | undefined): ResolvedCheckoutOptions | null {
  if (options === undefined) return null;
  const valid = validateOptions(options, { subject: 'PaymentsModule checkout', schema: CheckoutSchema, error: (problems) => new CheckoutConfigError(problems), required: [] });
  if (valid.enabled === false) return null;
  return {
    path: valid.path ?? CHECKOUT_DEFAULTS.path,
    branding: {
      name: valid.branding?.name ?? CHECKOUT_DEFAULTS.name,
      logoUrl: valid.branding?.logoUrl ?? null,
      accentColor: (valid.branding?.accentColor ?? CHECKOUT_DEFAULTS.accentColor).toLowerCase(),
    },
    pollIntervalMs: valid.pollIntervalMs ?? CHECKOUT_DEFAULTS.pollIntervalMs,
    rateLimit: valid.rateLimit ?? CHECKOUT_DEFAULTS.rateLimit,
    rateWindowMs: valid.rateWindowMs ?? CHECKOUT_DEFAULTS.rateWindowMs,
  };
}
