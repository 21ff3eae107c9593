export { PaymentProvider } from './payment-provider.js';
