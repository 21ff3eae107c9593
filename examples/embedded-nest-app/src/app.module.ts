import { IdempotencyModule } from '@cryptopay/idempotency';
import { CoinRegistry, DEFAULT_COINS } from '@cryptopay/invoice';
import { PaymentsModule } from '@cryptopay/nest';
import { BLOCKBEE_EXTRA_COINS, BlockBeeModule, type BlockBeeOptions } from '@cryptopay/provider-blockbee';
import { BlockonomicsModule, type BlockonomicsOptions } from '@cryptopay/provider-blockonomics';
import { createStore } from '@cryptopay/store';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Fulfilment } from './fulfilment.js';

export interface AppSettings {
  /** The origin the providers reach this app at (no path): they call `<publicUrl>/<global prefix>/v1/callbacks/<provider>`. */
  readonly publicUrl: string;
  /** Bearer tokens of the services that may create and read invoices. */
  readonly apiTokens: readonly string[];
  /** PostgreSQL; without it the store is PGlite in memory (a demo: lost on exit). */
  readonly databaseUrl?: string;
  /** Redis, shared by every instance; without it idempotency is kept in memory (one instance only). */
  readonly redisUrl?: string;
  readonly blockonomics: BlockonomicsOptions;
  readonly blockbee: BlockBeeOptions;
}

/** The platform's app: its own modules, and payments through both providers. */
@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // PaymentsModule publishes invoice events (invoice.settled, …) on the app's EventEmitter2.
        EventEmitterModule.forRoot(),
        PaymentsModule.forRootAsync({
          providers: [BlockonomicsModule.forRoot(settings.blockonomics), BlockBeeModule.forRoot(settings.blockbee)],
          idempotency: IdempotencyModule.forRoot(settings.redisUrl ? { store: 'redis', redisUrl: settings.redisUrl } : { store: 'memory' }),
          useFactory: async () => {
            const store = await createStore({ databaseUrl: settings.databaseUrl });
            await store.migrateToLatest();
            return {
              store, // closed by the module on shutdown
              publicUrl: settings.publicUrl,
              apiTokens: settings.apiTokens,
              // Every coin a provider offers must be registered: BlockBee's include USDT on BNB Smart Chain.
              coins: new CoinRegistry([...DEFAULT_COINS, ...BLOCKBEE_EXTRA_COINS]),
            };
          },
        }),
      ],
      providers: [Fulfilment],
    };
  }
}
