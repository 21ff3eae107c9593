import 'reflect-metadata';
import { createApp } from './app.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const app = await createApp({
  publicUrl: required('PUBLIC_URL'), // the origin, e.g. https://shop.example.com (the prefix is the app's)
  apiTokens: required('PAYMENTS_API_TOKENS').split(','),
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  blockonomics: { apiKey: required('BLOCKONOMICS_API_KEY'), callbackSecret: required('BLOCKONOMICS_CALLBACK_SECRET') },
  blockbee: { apiKey: required('BLOCKBEE_API_KEY') },
});
await app.listen(Number(process.env.PORT ?? 3000));
