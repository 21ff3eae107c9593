import { afterAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { RecordingLogger } from '../src/index.js';

describe('RecordingLogger', () => {
  const recorder = new RecordingLogger();
  Logger.overrideLogger(recorder);
  afterAll(() => Logger.overrideLogger(false));

  it('keeps what Nest loggers write, with level and context, and an error line with its stack', () => {
    const logger = new Logger('IdempotencyGuard');
    logger.warn('Lost the Redis connection');
    logger.error('Idempotency store unavailable during claim', 'Error: down\n    at claim');
    logger.error('no stack here');
    new Logger('PaymentsApi').log('POST /v1/invoices answered 400');

    expect(recorder.lines).toEqual([
      'warn IdempotencyGuard Lost the Redis connection',
      'error IdempotencyGuard Idempotency store unavailable during claim',
      'error IdempotencyGuard no stack here',
      'log PaymentsApi POST /v1/invoices answered 400',
    ]);
    expect(recorder.entries[1]).toEqual({
      level: 'error',
      context: 'IdempotencyGuard',
      message: 'Idempotency store unavailable during claim',
      text: 'IdempotencyGuard Idempotency store unavailable during claim',
      stack: 'Error: down\n    at claim',
    });
    expect(recorder.entries[2]).not.toHaveProperty('stack');
    expect(recorder.errors()).toEqual(['IdempotencyGuard Idempotency store unavailable during claim', 'IdempotencyGuard no stack here']);
    expect(recorder.at('warn')).toEqual(['IdempotencyGuard Lost the Redis connection']);
  });
});
