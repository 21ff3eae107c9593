import { type Setting } from './module-settings.js';

const BOOLEAN = (value: string): boolean => value === 'true';

/** The outbound webhooks' variables (docs/configuration.md, "Webhooks"); the payments module checks their values. */
export const WEBHOOK_SETTINGS: readonly Setting[] = [
  { variable: 'WEBHOOK_RETRY_SCHEDULE', module: 'payments', option: 'webhooks.retrySchedule' },
  { variable: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', module: 'payments', option: 'webhooks.allowPrivateNetworks', toOption: BOOLEAN },
  { variable: 'WEBHOOK_RETENTION_DAYS', module: 'payments', option: 'webhooks.retentionDays' },
  { variable: 'WEBHOOK_DISPATCH', module: 'payments', option: 'webhooks.dispatch', toOption: BOOLEAN },
];
