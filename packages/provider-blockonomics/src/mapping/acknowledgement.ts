import { type Acknowledgement, type CallbackOutcome, plainTextAcknowledgement } from '@cryptopay/provider-kit';

/**
 * Blockonomics only looks at the status: 200 stops its retries, anything else is retried
 * (7 times, backoff from 4 s). Settled outcomes get 200; a rejection its 4xx and reason (shown in
 * Merchant > Logs); retry-later its 409/503 so Blockonomics tries again.
 */
export function acknowledgeBlockonomics(outcome: CallbackOutcome): Acknowledgement {
  switch (outcome.kind) {
    case 'applied':
    case 'duplicate':
    case 'unmatched':
      return plainTextAcknowledgement(200, outcome.kind);
    case 'rejected':
    case 'retry-later':
      return plainTextAcknowledgement(outcome.status, outcome.reason);
  }
}
