import { Logger, Module, type Provider } from '@nestjs/common';
import { BlockBeeAdapter } from '../adapter.js';
import { type BlockBeeOptions, validateBlockBeeOptions } from '../config/options.js';
import { BLOCKBEE_OPTIONS, BlockBeeConfigurableModule } from './provider.module-definition.js';

const logger = new Logger('BlockBee');

const adapterProvider: Provider = {
  provide: BlockBeeAdapter,
  // Validation runs here, so invalid options stop start-up with a message naming them.
  useFactory: (options: BlockBeeOptions) =>
    new BlockBeeAdapter({ ...validateBlockBeeOptions(options), onWarning: (message) => logger.warn(message) }),
  inject: [BLOCKBEE_OPTIONS],
};

/**
 * Provides the {@link BlockBeeAdapter}: `forRoot(options)` / `forRootAsync({ useFactory })`.
 * Hand it to the payments module, which discovers the adapter by its `@PaymentProvider()` mark.
 */
@Module({ providers: [adapterProvider], exports: [BlockBeeAdapter] })
export class BlockBeeModule extends BlockBeeConfigurableModule {}
