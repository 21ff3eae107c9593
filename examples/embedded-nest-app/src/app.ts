import { type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type AppSettings } from './app.module.js';
import { RequestLogInterceptor } from './request-log.interceptor.js';

/** The app as the platform runs it, every route under `/api`: main.ts listens on it, the test too. */
export async function createApp(settings: AppSettings, options: NestApplicationOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(settings), options);
  app.setGlobalPrefix('api');
  app.useGlobalInterceptors(new RequestLogInterceptor());
  // SIGTERM: stop accepting, finish the callbacks in flight, then close Redis and the database.
  app.enableShutdownHooks();
  return app;
}
