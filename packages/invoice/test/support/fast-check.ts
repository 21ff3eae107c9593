import fc from 'fast-check';

// Under Stryker (pnpm test:mutation) a failing property is a killed mutant: shrinking its counterexample
// for a person to read would only spend the mutant's time budget and turn kills into timeouts.
if (process.env['STRYKER_MUTATOR_WORKER'] !== undefined) {
  fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
}
