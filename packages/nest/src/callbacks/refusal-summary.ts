import { createHash } from 'node:crypto';
import { type RawCallback } from '@cryptopay/provider-kit';
import { type CallbackDeliveryEntry } from '../store/payments-store.js';

/** The longest target kept of a callback refused before authentication. */
export const MAX_SUMMARY_TARGET_CHARS = 512;
/** The body characters kept of a callback refused before authentication. */
export const SUMMARY_BODY_CHARS = 256;
const MAX_SUMMARY_HEADER_CHARS = 256;
/** The only headers kept of a callback refused before authentication: enough to tell a client and what it sent. */
const SUMMARY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'user-agent', 'x-forwarded-for'];

/**
 * The capped record of a callback refused before it was authenticated (source IP, secret, signature,
 * unknown provider, unreadable body): anyone can send one, so it keeps a bounded summary instead of
 * what arrived — the target cut to {@link MAX_SUMMARY_TARGET_CHARS} characters, a fixed list of
 * headers, and of the body its length, SHA-256 and first {@link SUMMARY_BODY_CHARS} characters.
 * `entry` is the full record (already redacted); the hash is of the body as received.
 */
export function summarizedEntry(entry: CallbackDeliveryEntry, raw: RawCallback): CallbackDeliveryEntry {
  const headers: Record<string, string> = {};
  for (const name of SUMMARY_HEADERS) {
    const value = entry.headers[name];
    if (value !== undefined) headers[name] = cut(value, MAX_SUMMARY_HEADER_CHARS);
  }
  return { ...entry, target: cut(entry.target, MAX_SUMMARY_TARGET_CHARS), headers, body: bodySummary(raw.body, entry.body) };
}

/**
 * One line of facts, then the start of the (redacted) stored body. The first bytes are cut from the
 * redacted text, so a secret the redaction removed cannot come back through the summary.
 */
function bodySummary(received: Uint8Array, redacted: string): string {
  const sha256 = createHash('sha256').update(received).digest('hex');
  const head = redacted.slice(0, SUMMARY_BODY_CHARS);
  return `[refused before authentication: body of ${received.byteLength} bytes, sha256 ${sha256}; its first ${head.length} characters follow]\n${head}`;
}

/** `text`, or its start marked as cut when longer than `max` characters. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
