import { randomUUID } from 'node:crypto';
import { fingerprintOf, IDEMPOTENCY_STORE, IdempotencyKey, type IdempotencyStore } from '@cryptopay/idempotency';
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Store } from '@cryptopay/store';
import { PAYMENTS_STORE } from '../tokens.js';

type Check = 'up' | 'down';

/** Liveness (the process answers) and readiness (the database and the idempotency store answer). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: Store,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, Check> }> {
    const [database, idempotency] = await Promise.all([probe(() => this.store.ping()), probe(() => this.probeIdempotency())]);
    const checks = { database, idempotency };
    if (database === 'down' || idempotency === 'down') throw new ServiceUnavailableException({ statusCode: 503, status: 'unavailable', checks });
    return { status: 'ok', checks };
  }

  /** A real round trip: claim and release a throw-away key (the store has no ping). */
  private async probeIdempotency(): Promise<void> {
    const key = IdempotencyKey.apiRequest({ caller: 'health', idempotencyKey: randomUUID() });
    const claim = await this.idempotency.claim(key, fingerprintOf('health'));
    if (claim.status === 'acquired') await this.idempotency.release(key, claim.token);
  }
}

async function probe(ping: () => Promise<unknown>): Promise<Check> {
  try {
    await ping();
    return 'up';
  } catch {
    return 'down';
  }
}
