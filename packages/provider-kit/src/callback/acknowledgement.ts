import { type Acknowledgement } from '../contract/acknowledgement.js';

export function plainTextAcknowledgement(status: number, body: string): Acknowledgement {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}
