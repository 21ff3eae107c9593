import { type ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';

/**
 * Strict DTO validation: unknown fields are refused, nothing is coerced (so `"amount": 25` stays a
 * number and is rejected), and the 400 lists every field with what was wrong.
 */
export function paymentsValidationPipe(): ValidationPipe {
  return new PaymentsValidationPipe({
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

/**
 * Also refuses query parameters the query's DTO does not declare, by name: the whitelist cannot see
 * one named like a member of every object (`?constructor=x`), which class-transformer passes over.
 */
class PaymentsValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.metatype && typeof value === 'object' && value !== null) {
      const accepted = declaredProperties(metadata.metatype);
      const unknown = Object.keys(value).filter((name) => !accepted.includes(name));
      if (unknown.length > 0) {
        const names = unknown.map((name) => JSON.stringify(name.slice(0, 64))).join(', ');
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`query parameter ${names} is not accepted; accepted: ${accepted.join(', ')}`] });
      }
    }
    return super.transform(value, metadata);
  }
}

function declaredProperties(metatype: abstract new (...args: never[]) => unknown): string[] {
  const declared = getMetadataStorage().getTargetValidationMetadatas(metatype as new () => unknown, '', true, false).map(({ propertyName }) => propertyName);
  return [...new Set(declared)];
}
