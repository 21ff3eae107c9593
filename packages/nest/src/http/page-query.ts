import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `before`: the `nextCursor` of the previous page (a row id), for the newest-first lists. */
export function PageCursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' }),
    IsOptional(),
    Matches(/^[1-9][0-9]{0,17}$/, { message: 'before must be a delivery id from a previous page' }),
  );
}

/** `limit`: a page size from 1 to `max`, in decimal digits only. */
export function PageLimit(max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: 50, maximum: max }),
    IsOptional(),
    // Decimal digits only: Number() would read 0x10 as 16, 1e2 as 100 and " 5" as 5.
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value)),
    IsInt({ message: `limit must be a whole number from 1 to ${max}, written in decimal digits` }),
    Min(1),
    Max(max),
  );
}
