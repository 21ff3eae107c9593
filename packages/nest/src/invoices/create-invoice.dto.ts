import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsProviderName } from '@cryptopay/provider-kit/options';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsStorableText } from '../http/text-rules.js';
import { IsInvoiceMetadata, METADATA_LIMITS } from './metadata-rules.js';
import { IsRedirectUrl } from './redirect-url-rule.js';

/**
 * `POST /v1/invoices`. Amounts are strings: a JSON number would already have lost exactness. Every
 * string is text the database can keep as sent: the coded fields by their patterns, the free ones by
 * {@link IsStorableText} and the metadata rules.
 */
export class CreateInvoiceDto {
  @ApiPropertyOptional({
    example: 'blockonomics',
    description:
      "The provider that will receive the payment: the environment's account of it (the default merchant), or the merchant's one enabled account of it. Give this or providerAccountId.",
  })
  @IsOptional()
  @IsString()
  @IsProviderName({ message: 'provider must be a provider name like "blockonomics"' })
  readonly provider?: string;

  @ApiPropertyOptional({ example: 'pa_q2w4e6r8t2y4u6i8o2p4', description: "The merchant's provider account to use (see /v1/merchants/{merchantId}/provider-accounts)." })
  @IsOptional()
  @IsString()
  @Matches(/^pa_[a-z2-7]{20}$/, { message: 'providerAccountId must be a provider account id like "pa_q2w4e6r8t2y4u6i8o2p4"' })
  readonly providerAccountId?: string;

  @ApiPropertyOptional({ example: 'mer_k3v7q2x9m4p8r6t2w5y3', description: 'Platform tokens only: the merchant the invoice is for (default: the default merchant).' })
  @IsOptional()
  @IsString()
  @Matches(/^(default|mer_[a-z2-7]{20})$/, { message: 'merchantId must be a merchant id like "mer_k3v7q2x9m4p8r6t2w5y3"' })
  readonly merchantId?: string;

  @ApiPropertyOptional({ example: 'BTC', description: 'Coin to be paid in, in any case (answered in upper case); defaults to BTC.' })
  @IsOptional()
  @Transform(upperCase)
  @Matches(/^[A-Z0-9]{2,12}(?:_[A-Z0-9]{2,12})?$/, { message: 'coin must be a coin code like "BTC" or "USDT_TRC20"' })
  readonly coin?: string;

  @ApiProperty({ example: '25.00', description: 'Price in `currency`, as a decimal string.' })
  @Matches(/^(0|[1-9][0-9]{0,17})(\.[0-9]{1,3})?$/, { message: 'amount must be a decimal string like "25.00" (not a JSON number)' })
  readonly amount!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency code, in any case (answered in upper case).' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code like "USD"' })
  readonly currency!: string;

  @ApiProperty({ example: 'order-1001', description: "The merchant's own order reference." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @IsStorableText()
  readonly orderId!: string;

  @ApiPropertyOptional({
    example: 'https://shop.example.com/orders/1001',
    description: 'An http(s) URL the hosted checkout page links back to once the invoice is settled (at most 2 000 characters).',
  })
  @IsOptional()
  @IsString({ message: 'redirectUrl must be an http(s) URL like "https://shop.example.com/orders/1001"' })
  @MaxLength(2_000, { message: 'redirectUrl must be at most 2000 characters' })
  @IsRedirectUrl({ message: 'redirectUrl must be an http(s) URL like "https://shop.example.com/orders/1001"' })
  readonly redirectUrl?: string;

  @ApiPropertyOptional({
    example: { customer: 'c-42', items: ['sku-1'] },
    description:
      `Free-form data kept with the invoice: a JSON object of strings, booleans, null and nested objects or arrays, ` +
      `at most ${METADATA_LIMITS.depth} levels deep, ${METADATA_LIMITS.entries} keys and items in all and ${METADATA_LIMITS.bytes} bytes; ` +
      'numbers must be written as strings ("42"), since a JSON number would be kept as a float.',
  })
  @IsOptional()
  @IsObject()
  @IsInvoiceMetadata()
  readonly metadata?: Record<string, unknown>;
}

/** Codes are accepted in any case and kept in the canonical upper case; anything but a string is left for the rule to refuse. */
function upperCase({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value;
}
