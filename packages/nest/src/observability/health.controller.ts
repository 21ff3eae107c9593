import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@cryptopay/idempotency';
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

type Check = 'up' | 'down';

/** Liveness (the process answers) and readiness (the database and the idempotency store answer). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, Check> }> {
    const [database, idempotency] = await Promise.all([probe(() => this.store.ping()), probe(() => this.idempotency.ping())]);
    const checks = { database, idempotency };
    if (database === 'down' || idempotency === 'down') throw new ServiceUnavailableException({ statusCode: 503, status: 'unavailable', checks });
    return { status: 'ok', checks };
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
