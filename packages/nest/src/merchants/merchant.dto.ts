import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { IsStorableText } from '../http/text-rules.js';
import { API_SCOPES, type ApiScope } from './api-scopes.js';

export class CreateMerchantDto {
  @ApiProperty({ example: 'Acme Books' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsStorableText()
  readonly name!: string;
}

export class MerchantView {
  @ApiProperty({ example: 'mer_k3v7q2x9m4p8r6t2w5y3' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty() readonly createdAt!: string;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'checkout server' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsStorableText()
  readonly name?: string;

  @ApiPropertyOptional({ enum: API_SCOPES, isArray: true, description: 'Default: every scope.' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(API_SCOPES, { each: true, message: `scopes must each be one of ${API_SCOPES.join(', ')}` })
  readonly scopes?: ApiScope[];
}

export class ApiKeyView {
  @ApiProperty({ example: 'ak_h2k4m6p8r2t4v6x8z2b4' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) readonly scopes!: ApiScope[];
  @ApiProperty() readonly createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) readonly revokedAt!: string | null;
}

export class CreatedApiKeyView {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ description: 'The key, `cpk_<id>_<secret>`: shown only in this answer, stored as a keyed hash.' }) readonly key!: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) readonly scopes!: ApiScope[];
  @ApiProperty() readonly createdAt!: string;
}

/** An object whose every value is a non-empty string (credentials are secrets, always text). */
function IsCredentials(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCredentials',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((field) => typeof field === 'string' && field.length > 0 && field.length <= 4096),
      },
    },
    { message: 'credentials must be an object of non-empty strings (at most 4096 characters each)' },
  );
}

export class CreateProviderAccountDto {
  @ApiProperty({ example: 'blockbee', description: 'The provider: blockonomics or blockbee.' })
  @IsString()
  @MaxLength(32)
  readonly provider!: string;

  @ApiPropertyOptional({ example: 'main wallet' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsStorableText()
  readonly label?: string;

  @ApiProperty({
    type: Object,
    example: { apiKey: '…' },
    description: "The provider's secrets (Blockonomics: apiKey, callbackSecret (generated when omitted); BlockBee: apiKey). Write-only: never returned, logged or stored in clear.",
  })
  @IsCredentials()
  readonly credentials!: Record<string, string>;

  @ApiPropertyOptional({ type: Object, example: { confirmations: 2 }, description: "Non-secret options, named as the provider module's options." })
  @IsOptional()
  @IsObject()
  readonly settings?: Record<string, unknown>;

  @ApiPropertyOptional({ default: true, description: "false skips the live check of the credentials against the provider (offline set-ups, tests)." })
  @IsOptional()
  @IsBoolean()
  readonly verify?: boolean;
}

export class UpdateProviderAccountDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsStorableText()
  readonly label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  readonly enabled?: boolean;

  @ApiPropertyOptional({ type: Object, description: 'Replaces the settings.' })
  @IsOptional()
  @IsObject()
  readonly settings?: Record<string, unknown>;

  @ApiPropertyOptional({ type: Object, description: 'Write-only rotation: the fields given replace theirs, the others stay.' })
  @IsOptional()
  @IsCredentials()
  readonly credentials?: Record<string, string>;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  readonly verify?: boolean;
}

export class ProviderAccountViewDto {
  @ApiProperty({ example: 'pa_q2w4e6r8t2y4u6i8o2p4' }) readonly id!: string;
  @ApiProperty() readonly merchantId!: string;
  @ApiProperty({ example: 'blockbee' }) readonly provider!: string;
  @ApiProperty({ type: String, nullable: true }) readonly label!: string | null;
  @ApiProperty() readonly enabled!: boolean;
  @ApiProperty({ example: 'https://pay.example.com/v1/callbacks/blockbee/pa_q2w4e6r8t2y4u6i8o2p4', description: "This account's callback URL (the provider's query parameters are added to it)." })
  readonly callbackUrl!: string;
  @ApiProperty({ type: Object }) readonly settings!: Record<string, unknown>;
  @ApiProperty() readonly createdAt!: string;
  @ApiProperty() readonly updatedAt!: string;
}
