import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** The options every provider module takes beside its own; a provider's schema extends this class. */
export class CommonProviderOptionsSchema {
  @IsOptional()
  @IsBoolean({ message: 'allowTestPayments must be true or false' })
  allowTestPayments?: boolean;

  @IsOptional()
  @IsInt({ message: 'timeoutMs must be a whole number of milliseconds' })
  @Min(100, { message: 'timeoutMs must be at least 100' })
  @Max(120_000, { message: 'timeoutMs must be at most 120000' })
  timeoutMs?: number;
}
