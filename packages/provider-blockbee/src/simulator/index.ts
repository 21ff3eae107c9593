export { BlockBeeSimulator, type BlockBeeSimulatorOptions, type SimulatedPayment } from './simulator.js';
export type { ApiAction, InjectedFailure } from './http-api.js';
export type { DeliveryAttempt, SimulatedAddress, SimulatedPaymentInput, SimulatedTransaction } from './ledger.js';
export type { CallbackEncoding } from '../wire/fields.js';
export { type BlockBeeSandbox } from './sandbox.js';
