import { type Acknowledgement, type CallbackOutcome } from '../contract/acknowledgement.js';

/** Whether the provider will treat the answer as delivered (it then stops retrying). */
export function isSuccessfulAcknowledgement(ack: Acknowledgement): boolean {
  return ack.status >= 200 && ack.status < 300;
}

/** Whether the outcome means the delivery is settled on our side (applied before or now, or not ours). */
export function isSettledOutcome(outcome: CallbackOutcome): boolean {
  return outcome.kind === 'applied' || outcome.kind === 'duplicate' || outcome.kind === 'unmatched';
}

export function plainTextAcknowledgement(status: number, body: string): Acknowledgement {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}
