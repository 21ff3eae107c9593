import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A merchant's return link for the checkout page: an absolute http(s) URL with a host, a query
 * allowed (order references), no whitespace or control characters and no user:password part (which
 * would let a link pose as another site). Anything else — `javascript:`, `data:` — never reaches a page.
 */
export function isRedirectUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /[\s\p{Cc}]/u.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}

export function IsRedirectUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isRedirectUrl', validator: { validate: isRedirectUrl } }, options);
}
