import { type CallbackDeliveryEntry } from '../../src/index.js';
import { NOW } from './invoices.js';

export function deliveryEntry(overrides: Partial<CallbackDeliveryEntry> = {}): CallbackDeliveryEntry {
  return {
    provider: 'blockonomics',
    receivedAt: NOW,
    remoteIp: '203.0.113.7',
    method: 'GET',
    target: '/v1/callbacks/blockonomics?secret=[redacted]&addr=bc1q…&status=2&value=38988&txid=ab12',
    headers: { 'user-agent': 'Blockonomics-Callback/1.0', 'x-forwarded-for': '203.0.113.7' },
    body: '',
    verdict: 'applied',
    reason: null,
    invoiceId: null,
    deliveryKey: null,
    responseStatus: 200,
    durationMs: 12,
    ...overrides,
  };
}
