import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { type ValidationError } from 'class-validator';

/**
 * Strict DTO validation: unknown fields are refused, nothing is coerced (so `"amount": 25` stays a
 * number and is rejected), and the 400 lists every field with what was wrong.
 */
export function paymentsValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors.flatMap((error) => fieldMessages(error)) }),
  });
}

function fieldMessages(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message : `${path}: ${message}`));
  return [...own, ...(error.children ?? []).flatMap((child) => fieldMessages(child, path))];
}
