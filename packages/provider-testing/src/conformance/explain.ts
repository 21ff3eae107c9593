import { type CallbackSecrets, isIgnored, redactUrl } from '@cryptopay/provider-kit';
import { type ProcessedCallback } from './pipeline.js';

/** A conformance check that failed, with a message saying what was delivered and why it was dropped. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ConformanceFailure(message());
}

const MAX_TARGET = 240;

/**
 * One line on what happened to a delivery: how it came in (secrets redacted as the adapter declares
 * them) and where and why the pipeline stopped it, e.g.
 * `POST /v1/callbacks/x?invoice=… (212 bytes) → refused at bind to invoice 7c… (403: the nonce does not match …)`.
 */
export function describeDelivery(delivery: ProcessedCallback, secrets: CallbackSecrets = {}): string {
  const { raw } = delivery;
  const target = redactUrl(`http://receiver.invalid${raw.target}`, secrets.queryParams ?? []).slice('http://receiver.invalid'.length);
  const body = raw.body.byteLength > 0 ? ` (${raw.body.byteLength} bytes)` : '';
  return `${raw.method} ${clip(target)}${body} → ${describeOutcome(delivery)}`;
}

/** Every delivery, numbered, or `none`. */
export function describeDeliveries(deliveries: readonly ProcessedCallback[], secrets?: CallbackSecrets): string {
  if (deliveries.length === 0) return 'none';
  return deliveries.map((delivery, index) => `\n  #${index + 1} ${describeDelivery(delivery, secrets)}`).join('');
}

function describeOutcome({ stage, outcome, invoiceId, notification }: ProcessedCallback): string {
  const invoice = invoiceId === null ? '' : ` invoice ${invoiceId}`;
  switch (outcome.kind) {
    case 'applied':
      return `applied to${invoice}`;
    case 'duplicate':
      return `a duplicate of a delivery already applied to${invoice}`;
    case 'unmatched':
      if (notification && isIgnored(notification)) return `ignored at parse: ${notification.ignoreReason}`;
      return `unmatched at ${stage}: it names no invoice of ours (${JSON.stringify(notification && !isIgnored(notification) ? notification.invoice : null)})`;
    case 'rejected':
      return `refused at ${stage}${stage === 'bind' ? ` to${invoice}` : ''} (${outcome.status}: ${outcome.reason})`;
    case 'retry-later':
      return `answered retry-later at ${stage} (${outcome.status}: ${outcome.reason})`;
  }
}

function clip(text: string): string {
  return text.length <= MAX_TARGET ? text : `${text.slice(0, MAX_TARGET)}…`;
}
