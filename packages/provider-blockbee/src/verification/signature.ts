import { constants, type KeyObject, verify } from 'node:crypto';

/** Canonical, padded base64 only: no whitespace, no URL-safe alphabet, no missing padding. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes base64 strictly; null for anything `Buffer.from` would otherwise silently repair. */
export function decodeStrictBase64(text: string): Buffer | null {
  if (text.length === 0 || !STRICT_BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Non-zero trailing bits ("QR==" for "QQ==") decode to the same bytes: only the canonical text counts.
  return bytes.toString('base64') === text ? bytes : null;
}

/**
 * RSA-SHA256 with PKCS#1 v1.5 padding. Only an exact `true` verdict passes: a signature of the
 * wrong length, a malformed one or an OpenSSL error is a plain `false`, never an exception.
 */
export function verifyRsaSha256(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const modulusBits = key.asymmetricKeyDetails?.modulusLength;
  if (modulusBits === undefined || signature.byteLength !== Math.ceil(modulusBits / 8)) return false;
  try {
    return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, signature) === true;
  } catch {
    return false;
  }
}
