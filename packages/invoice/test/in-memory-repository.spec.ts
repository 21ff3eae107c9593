import { InMemoryInvoiceRepository } from '../src/index.js';
import { INVOICE_REPOSITORY_CONTRACT } from '../src/testing/index.js';

/** The in-memory repository keeps the port's contract, as the PostgreSQL and PGlite stores do (their tests run the same cases). */
describe('InMemoryInvoiceRepository', () => {
  const repository = new InMemoryInvoiceRepository();

  it.each(INVOICE_REPOSITORY_CONTRACT)('$name', async ({ check }) => {
    await check(repository);
  });

  it('runs every case of the contract on a fresh repository too', async () => {
    for (const { check } of INVOICE_REPOSITORY_CONTRACT) await check(new InMemoryInvoiceRepository());
  });
});
