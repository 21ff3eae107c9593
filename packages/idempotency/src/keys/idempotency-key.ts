import { hash } from 'node:crypto';

/** What a key guards; the first segment of every key, and the label on metrics. */
export type KeyPurpose = 'callback' | 'api-request';

/** A key part that is not a plain identifier; the message names the part, never its value. */
export class IdempotencyKeyError extends Error {
  override readonly name = 'IdempotencyKeyError';
}

const SEPARATOR = ':';
/** Written where a callback has no merchant yet; `*` is outside SAFE_PART, so no real merchant encodes to it. */
const NO_MERCHANT = '*';
const SAFE_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Keeps a short plain identifier readable and replaces anything else (long, separators, Cluster hash tags,
 * control characters) by `~` + its SHA-256, so a hostile part can neither grow a Redis key without bound nor
 * forge another scope. `~` is outside SAFE_PART, so a hashed part never equals a plain one.
 */
function encodePart(role: string, raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new IdempotencyKeyError(`The ${role} of an idempotency key must be a non-empty string.`);
  }
  if (SAFE_PART.test(raw)) return raw;
  return `~${hash('sha256', raw, 'base64url')}`;
}

export interface CallbackKeyParts {
  /** The adapter's provider id, e.g. `blockbee`. */
  provider: string;
  /** The merchant the callback belongs to, once there are several. */
  merchant?: string;
  /** The adapter's delivery key, taken from a verified callback only. */
  deliveryKey: string;
}

export interface ApiRequestKeyParts {
  /** The authenticated API caller; keys of different callers never meet. */
  caller: string;
  /** The client's `Idempotency-Key` header value. */
  idempotencyKey: string;
}

/**
 * A store key, namespaced as `{purpose}:{scope...}:{key}` (the store adds its `{prefix}:`). Built only through
 * the static factories, so every key in Redis has a known shape and bounded size.
 */
export class IdempotencyKey {
  private constructor(
    readonly purpose: KeyPurpose,
    /** The key below the store prefix, e.g. `callback:blockbee:*:a1b2`. */
    readonly path: string,
  ) {}

  /** `callback:{provider}:{merchant|*}:{deliveryKey}` */
  static callback(parts: CallbackKeyParts): IdempotencyKey {
    const merchant = parts.merchant === undefined ? NO_MERCHANT : encodePart('merchant', parts.merchant);
    return IdempotencyKey.compose('callback', [
      encodePart('provider', parts.provider),
      merchant,
      encodePart('delivery key', parts.deliveryKey),
    ]);
  }

  /** `api-request:{caller}:{idempotencyKey}` */
  static apiRequest(parts: ApiRequestKeyParts): IdempotencyKey {
    return IdempotencyKey.compose('api-request', [
      encodePart('caller', parts.caller),
      encodePart('Idempotency-Key', parts.idempotencyKey),
    ]);
  }

  private static compose(purpose: KeyPurpose, parts: readonly string[]): IdempotencyKey {
    return new IdempotencyKey(purpose, [purpose, ...parts].join(SEPARATOR));
  }

  toString(): string {
    return this.path;
  }
}
