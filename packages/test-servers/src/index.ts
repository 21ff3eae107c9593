export { type Answer, eventually, type Patience } from './eventually.js';
export { freePort, listenOnFreePort } from './free-port.js';
export { type GatewayExit, type GatewayOutput, GatewayProcess, type GatewaySpawn, startCommand, type StartCommand } from './gateway-process.js';
export { type LogEntry, type LogLevel, RecordingLogger } from './recording-logger.js';
export { PgBouncerProcess, type PgBouncerSetup } from './pgbouncer-process.js';
export { plainServer, RedisServerProcess } from './redis-server-process.js';
export { testDatabaseUrl, testRedisUrl } from './service-urls.js';
export { type ReceivedWebhook, type ReceiverAnswer, signaturesBy, type WebhookBody, WebhookReceiver } from './webhook-receiver.js';
