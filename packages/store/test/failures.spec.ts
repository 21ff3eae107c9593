import { createStore, resolveStoreOptions, type Store, StoreConfigError, type StoreOptions, StoreUnavailableError } from '../src/index.js';
import { classifyFailure } from '../src/database/failures.js';
import { admin, BACKENDS, postgresBackend, useMigratedStore } from './support/backends.js';
import { deferred, pausedCallback } from './support/concurrency.js';
import { freePort } from '@cryptopay/test-servers';
import { type FakeServer, hangingUpServer, silentServer } from './support/fake-servers.js';
import { newInvoice, paid, withPayment } from './support/invoices.js';

const PASSWORD = 'pa55-not-for-logs';

function urlFor(port: number): string {
  return `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/test`;
}

async function expectUnavailable(operation: Promise<unknown>, reason: StoreUnavailableError['reason']): Promise<void> {
  const error = await operation.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect(error).toMatchObject({ reason });
  expect(String((error as Error).message)).not.toContain(PASSWORD);
}

describe('an unreachable PostgreSQL', () => {
  let store: Store | undefined;
  let server: FakeServer | undefined;
  afterEach(async () => {
    await store?.close();
    await server?.close();
    store = server = undefined;
  });

  it('refusing connections surfaces as StoreUnavailableError from every operation', async () => {
    store = await createStore({ databaseUrl: urlFor(await freePort()) });

    await expectUnavailable(store.ping(), 'unreachable');
    await expectUnavailable(store.invoices.findById('inv_1'), 'unreachable');
    await expectUnavailable(store.transaction(async () => undefined), 'unreachable');
    await expectUnavailable(store.migrateToLatest(), 'unreachable');
    await expectUnavailable(store.deliveries.list({ limit: 1 }), 'unreachable');
  });

  it('that accepts but never answers surfaces as a timeout after connectTimeoutMs, not a hang', async () => {
    server = await silentServer();
    store = await createStore({ databaseUrl: urlFor(server.port), connectTimeoutMs: 300 });

    await expectUnavailable(store.ping(), 'timeout');
  });

  it('that hangs up surfaces as terminated', async () => {
    server = await hangingUpServer();
    store = await createStore({ databaseUrl: urlFor(server.port) });

    await expectUnavailable(store.ping(), 'terminated');
  });
});

describe('PostgreSQL failing under a running store', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('a session killed mid-transaction fails that transaction as unavailable, writes nothing, and the pool recovers', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);

    const error = await store()
      .transaction(async (tx) => {
        const current = await tx.invoices.findByIdForUpdate(invoice.id);
        await admin(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and state like 'idle in transaction%'`, [
          backend.applicationName,
        ]);
        await tx.invoices.update(withPayment(current!, paid(invoice, 1n)));
      })
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(['shutdown', 'terminated']).toContain((error as StoreUnavailableError).reason);
    await store().ping();
    expect(await store().invoices.findById(invoice.id)).toEqual(invoice);
  });

  it('a lock wait longer than statementTimeoutMs is a timeout, and the lock holder is unaffected', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    const impatient = await backend.open({ statementTimeoutMs: 300 });
    const holder = await pausedCallback(store(), invoice, 1n);

    await expectUnavailable(
      impatient.transaction((tx) => tx.invoices.findByIdForUpdate(invoice.id)),
      'timeout',
    );
    await holder.proceed();

    expect((await store().invoices.findById(invoice.id))?.version).toBe(2);
  });

  it('an idle pooled connection dropped by the server is reported, not thrown, and replaced', async () => {
    const dropped = deferred<Error>();
    const instance = await backend.open({ onBackgroundError: (error) => dropped.resolve(error), applicationName: `${backend.applicationName}_idle` });
    await instance.ping();

    await admin(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [`${backend.applicationName}_idle`]);

    expect(await dropped.promise).toBeInstanceOf(Error);
    await expect(instance.ping()).resolves.toBeUndefined();
  });
});

describe.each(BACKENDS)('a closed store on %s', (_name, factory) => {
  it('answers StoreUnavailableError (closed) instead of touching the database', async () => {
    const backend = factory();
    const store = await backend.open();
    await store.migrateToLatest();
    await store.ping();
    await store.close();

    await expectUnavailable(store.ping(), 'closed');
    await backend.dispose();
  });
});

describe('PGlite, one connection', () => {
  const { store } = useMigratedStore(() => {
    const backend = BACKENDS[1]![1]();
    return { ...backend, open: () => backend.open({ connectTimeoutMs: 200 }) };
  });

  it('a store call made inside an open transaction times out instead of deadlocking', async () => {
    const invoice = newInvoice();

    await expectUnavailable(
      store().transaction(() => store().invoices.findById(invoice.id)),
      'timeout',
    );
    await expect(store().ping()).resolves.toBeUndefined();
  });
});

describe('store options', () => {
  it.each([
    [{ databaseUrl: `mysql://root:${PASSWORD}@db/test` }, 'databaseUrl'],
    [{ databaseUrl: `not a url ${PASSWORD}` }, 'databaseUrl'],
    [{ schema: 'Public; drop table invoices' }, 'schema'],
    [{ statementTimeoutMs: 0 }, 'statementTimeoutMs'],
    [{ poolSize: 1.5 }, 'poolSize'],
    [{ applicationName: 'a b' }, 'applicationName'],
    [{ preparedStatements: 'yes' as unknown as boolean }, 'preparedStatements'],
  ])('refuses %j naming the option and never echoing it', async (options, option) => {
    const error = await createStore(options).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(StoreConfigError);
    expect(error).toMatchObject({ option });
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('names every problem at once, unknown options with the known ones', () => {
    const refused = () => resolveStoreOptions({ schema: 'Bad', poolSize: 0, databaseURL: 'postgres://x' } as StoreOptions);

    expect(refused).toThrow(
      'Invalid store options: schema must be a lower-case identifier of letters, digits and _ (at most 63); poolSize must be a whole number from 1 to 1000; ' +
        'databaseURL is not a store option (known: databaseUrl, dataDir, schema, applicationName, poolSize, connectTimeoutMs, statementTimeoutMs, ' +
        'idleInTransactionTimeoutMs, migrationTimeoutMs, preparedStatements, pooler, onBackgroundError)',
    );
    expect(refused).toThrow(expect.objectContaining({ problems: [expect.objectContaining({ option: 'schema' }), expect.objectContaining({ option: 'poolSize' }), expect.objectContaining({ option: 'databaseURL' })] }));
  });

  it('fills in the defaults, a blank URL or directory counting as none', () => {
    expect(resolveStoreOptions({ databaseUrl: ' ', dataDir: '' })).toEqual({
      databaseUrl: null,
      dataDir: null,
      schema: 'public',
      applicationName: 'cryptopay',
      poolSize: 10,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 15_000,
      idleInTransactionTimeoutMs: 60_000,
      migrationTimeoutMs: 300_000,
      preparedStatements: true,
      pooler: 'none',
      onBackgroundError: expect.any(Function),
    });
  });
});

describe('failure classification', () => {
  it.each([
    [Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 'timeout'],
    [Object.assign(new Error('sorry, too many clients already'), { code: '53300' }), 'overloaded'],
    [Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'contention'],
    [Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'shutdown'],
    [new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })]), 'unreachable'],
    [new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') }), 'terminated'],
  ])('maps %s to %s', (error, reason) => {
    expect(classifyFailure(error)).toMatchObject({ name: 'StoreUnavailableError', reason, cause: error });
  });

  it('leaves programming errors and constraint violations as they are', () => {
    const syntax = Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' });
    const unique = Object.assign(new Error('duplicate key value'), { code: '23505' });

    expect(classifyFailure(syntax)).toBe(syntax);
    expect(classifyFailure(unique)).toBe(unique);
    expect(classifyFailure(new TypeError('x is undefined'))).toBeInstanceOf(TypeError);
  });
});
