export {
  BlockonomicsSimulator,
  type BlockonomicsSimulatorOptions,
  type SimulatedPayOptions,
  type TestCallbackOptions,
  type SimulatedOutput,
  type SimulatedPayment,
  type CallbackStatusValue,
  type InjectedFailure,
} from './simulator.js';
export { type CallbackParams, type DeliveryRecord, type DeliveryAttempt, type RetrySchedule, retryDelaysMs } from './callback-delivery.js';
export { type BlockonomicsSandbox } from './sandbox.js';
