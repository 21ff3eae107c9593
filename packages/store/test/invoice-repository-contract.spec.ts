import { INVOICE_REPOSITORY_CONTRACT } from '@cryptopay/invoice/testing';
import { BACKENDS, useMigratedStore } from './support/backends.js';

/** The invoice repository port's contract, the same cases on every implementation (the in-memory one runs them in @cryptopay/invoice too). */
describe.each(BACKENDS)('the invoice repository contract on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  it.each(INVOICE_REPOSITORY_CONTRACT)('$name', async ({ check }) => {
    await check(store().invoices);
  });
});
