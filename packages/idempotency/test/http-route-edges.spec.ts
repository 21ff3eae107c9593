import { BadRequestException, Controller, type INestApplication, Module, Put, Post, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  fingerprintOfRequest,
  Idempotent,
  IdempotencyKey,
  IdempotencyKeyError,
  idempotencyKeyHeader,
  IdempotencyModule,
  type IdempotentRequest,
} from '../src/index.js';

const requestWith = (headers: IdempotentRequest['headers'], overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  method: 'POST',
  url: '/v1/invoices',
  headers,
  ...overrides,
});

describe('the Idempotency-Key header', () => {
  const optional = idempotencyKeyHeader({ caller: () => 'client_42' });
  const required = idempotencyKeyHeader({ caller: () => 'client_42', required: true });

  it('lets a request without one through unguarded, unless the route requires one', () => {
    expect(optional(requestWith({}))).toBeUndefined();
    expect(() => required(requestWith({}))).toThrow(new BadRequestException('The Idempotency-Key header is required on this route.'));
  });

  it.each([' ', '~', 'k'.repeat(255), 'order 1001 / retry ~2'])('accepts %j: 1 to 255 printable ASCII characters', (value) => {
    expect(optional(requestWith({ 'idempotency-key': value }))).toEqual(IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: value }));
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a control character', 'order\x1f'],
    ['DEL', 'order\x7f'],
    ['a character beyond ASCII', 'ordér'],
    ['a control character first', '\x00order'],
  ])('refuses a value that is %s', (_case, value) => {
    expect(() => optional(requestWith({ 'idempotency-key': value }))).toThrow(
      new BadRequestException('The Idempotency-Key header must be one value of 1-255 printable ASCII characters.'),
    );
  });

  it('refuses the header given twice', () => {
    expect(() => optional(requestWith({ 'idempotency-key': ['a', 'b'] as unknown as string }))).toThrow(BadRequestException);
  });

  it('scopes the key to the caller the route names', () => {
    const byHeader = idempotencyKeyHeader({ caller: (req) => String(req.headers['x-caller']) });
    expect(byHeader(requestWith({ 'idempotency-key': 'k', 'x-caller': 'shop-7' }))?.path).toBe('api-request:shop-7:k');
  });
});

describe("a request's default fingerprint", () => {
  it('reads the original URL when a router rewrote url', () => {
    const original = fingerprintOfRequest(requestWith({}, { url: '/invoices', originalUrl: '/v1/invoices?x=1' }));
    expect(original).toBe(fingerprintOfRequest(requestWith({}, { url: '/v1/invoices?x=1' })));
    expect(original).not.toBe(fingerprintOfRequest(requestWith({}, { url: '/invoices' })));
  });

  it('reads no body as a null body, and tells it from an empty object', () => {
    expect(fingerprintOfRequest(requestWith({}))).toBe(fingerprintOfRequest(requestWith({}, { body: null })));
    expect(fingerprintOfRequest(requestWith({}))).not.toBe(fingerprintOfRequest(requestWith({}, { body: {} })));
  });
});

let runs = 0;
const hostileKey = () => {
  throw new IdempotencyKeyError('The caller of an idempotency key must be a non-empty string.');
};
const brokenKey = () => {
  throw new Error('the caller lookup failed');
};

@Controller()
class RoutesController {
  @Put('invoices/1')
  @Idempotent({ key: idempotencyKeyHeader({ caller: () => 'client_42' }) })
  update() {
    runs += 1;
    return { runs };
  }

  @Post('no-key')
  @Idempotent({ key: () => undefined })
  unguarded() {
    runs += 1;
    return { runs };
  }

  @Post('hostile')
  @Idempotent({ key: hostileKey })
  hostile() {
    return {};
  }

  @Post('broken')
  @Idempotent({ key: brokenKey })
  broken() {
    return {};
  }

  @Get('plain')
  plain() {
    runs += 1;
    return { runs };
  }
}

@Module({ imports: [IdempotencyModule.forRoot({ store: 'memory' })], controllers: [RoutesController] })
class RoutesModule {}

describe('@Idempotent() routes beyond POST (in-memory store)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RoutesModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    runs = 0;
  });

  it('answers and replays a PUT with 200, as Nest would', async () => {
    const first = await request(url).put('/invoices/1').set('Idempotency-Key', 'put-1');
    const replay = await request(url).put('/invoices/1').set('Idempotency-Key', 'put-1');
    expect([first.status, first.body, replay.status, replay.body, replay.headers['idempotent-replayed']]).toEqual([200, { runs: 1 }, 200, { runs: 1 }, 'true']);
  });

  it('runs a route whose key extractor gives no key every time, unguarded', async () => {
    await request(url).post('/no-key');
    const second = await request(url).post('/no-key');
    expect([second.status, second.body, second.headers['idempotent-replayed']]).toEqual([201, { runs: 2 }, undefined]);
  });

  it('answers 400 with the reason when a key part is refused', async () => {
    const response = await request(url).post('/hostile');
    expect([response.status, response.body.message]).toEqual([400, 'The caller of an idempotency key must be a non-empty string.']);
  });

  it('lets any other failure of the key extractor through as a server error', async () => {
    expect((await request(url).post('/broken')).status).toBe(500);
  });

  it('leaves routes without @Idempotent() alone', async () => {
    await request(url).get('/plain').set('Idempotency-Key', 'get-1');
    expect((await request(url).get('/plain').set('Idempotency-Key', 'get-1')).body).toEqual({ runs: 2 });
  });
});
