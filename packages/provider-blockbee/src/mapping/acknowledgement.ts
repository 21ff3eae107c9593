import { type Acknowledgement, type CallbackOutcome, plainTextAcknowledgement } from '@cryptopay/provider-kit';

/** BlockBee stops retrying only on HTTP 200 with exactly this body. */
const BLOCKBEE_OK = '*ok*';

/**
 * `*ok*` for every callback that needs no retry (applied, duplicate, unmatched); the status and a
 * plain-text reason otherwise, so BlockBee retries what could not be recorded and its logs show why.
 */
export function acknowledgementFor(outcome: CallbackOutcome): Acknowledgement {
  switch (outcome.kind) {
    case 'applied':
    case 'duplicate':
    case 'unmatched':
      return plainTextAcknowledgement(200, BLOCKBEE_OK);
    case 'rejected':
    case 'retry-later':
      return plainTextAcknowledgement(outcome.status, outcome.reason);
  }
}
