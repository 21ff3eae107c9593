import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsStorableText } from '../http/text-rules.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-events.js';

const EVENTS_MESSAGE = `events must be a non-empty list of distinct event types from ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://shop.example.com/webhooks/cryptopay' })
  @IsString()
  @MaxLength(2048)
  @IsStorableText()
  readonly url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Default: every event type.' })
  @IsOptional()
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayUnique({ message: EVENTS_MESSAGE })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  readonly events?: string[];

  @ApiPropertyOptional({ example: 'order system' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @IsStorableText()
  readonly description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsStorableText()
  readonly url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, nullable: true, description: 'null: every event type.' })
  @ValidateIf((_dto, value) => value !== undefined && value !== null)
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayUnique({ message: EVENTS_MESSAGE })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  readonly events?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((_dto, value) => value !== undefined && value !== null)
  @IsString()
  @MaxLength(256)
  @IsStorableText()
  readonly description?: string | null;

  @ApiPropertyOptional({ description: 'Enable again an endpoint that answered 410, or pause one.' })
  @IsOptional()
  @IsBoolean()
  readonly enabled?: boolean;
}
