import { Body, Controller, Get, HttpCode, Injectable, Post, Req } from '@nestjs/common';
import { Idempotent, idempotencyKeyHeader, type IdempotentRequest } from '../../src/index.js';
import type { Gate } from './gate.js';

interface ApiRequest extends IdempotentRequest {
  headers: IdempotentRequest['headers'] & { 'x-api-caller'?: string };
}

/** Stands in for authentication: the caller the Idempotency-Key is scoped to. */
const byCaller = idempotencyKeyHeader<ApiRequest>({ caller: (request) => request.headers['x-api-caller'] ?? 'anonymous' });

/** What the test observes and steers: how often each handler ran, and a gate to hold them mid-request. */
@Injectable()
export class HandlerProbe {
  runs = 0;
  gate: Gate | undefined;
  failNextRun = false;

  async enter(): Promise<number> {
    this.runs += 1;
    const run = this.runs;
    await this.gate?.opened;
    if (this.failNextRun) {
      this.failNextRun = false;
      throw new Error('ledger write failed');
    }
    return run;
  }
}

@Controller()
export class InvoiceApiController {
  constructor(private readonly probe: HandlerProbe) {}

  /** Not idempotent: must keep working while Redis is down. */
  @Get('health')
  health() {
    return { status: 'up' };
  }

  @Post('invoices')
  @Idempotent({ key: byCaller })
  async createInvoice(@Body() body: { amount: string }) {
    const run = await this.probe.enter();
    return { id: `inv_${run}`, amount: body.amount, satoshis: '41667', run };
  }

  @Post('refunds')
  @HttpCode(202)
  @Idempotent({ key: idempotencyKeyHeader<ApiRequest>({ caller: () => 'anonymous', required: true }) })
  async refund(@Req() request: ApiRequest) {
    const run = await this.probe.enter();
    return { refund: request.headers['idempotency-key'], run };
  }
}
