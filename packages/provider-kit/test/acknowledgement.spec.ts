import { describe, expect, test } from '@jest/globals';
import { plainTextAcknowledgement } from '../src/index.js';

describe('plainTextAcknowledgement', () => {
  test('answers the provider with the status and the text given, as UTF-8 plain text', () => {
    expect(plainTextAcknowledgement(200, 'ok')).toStrictEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' });
    expect(plainTextAcknowledgement(403, 'the nonce does not match')).toStrictEqual({
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: 'the nonce does not match',
    });
  });
});
