import { Logger, Module, type Provider } from '@nestjs/common';
import { providerAdapterToken } from '@cryptopay/provider-kit';
import { BLOCKBEE_PROVIDER_NAME, BlockBeeAdapter } from '../adapter.js';
import { type BlockBeeOptions, validateBlockBeeOptions } from '../config/blockbee-options.js';
import { BLOCKBEE_OPTIONS, BlockBeeConfigurableModule } from './blockbee.module-definition.js';

/** `cryptopay:provider-adapter:blockbee`: where the payments module finds this adapter. */
export const BLOCKBEE_ADAPTER = providerAdapterToken(BLOCKBEE_PROVIDER_NAME);

const logger = new Logger('BlockBee');

const adapterProvider: Provider = {
  provide: BLOCKBEE_ADAPTER,
  // Validation runs here, so invalid options stop start-up with a message naming them.
  useFactory: (options: BlockBeeOptions) =>
    new BlockBeeAdapter({ ...validateBlockBeeOptions(options), onWarning: (message) => logger.warn(message) }),
  inject: [BLOCKBEE_OPTIONS],
};

/** Provides the BlockBee adapter under {@link BLOCKBEE_ADAPTER}; `forRoot(options)` / `forRootAsync({ useFactory })`. */
@Module({ providers: [adapterProvider], exports: [BLOCKBEE_ADAPTER] })
export class BlockBeeModule extends BlockBeeConfigurableModule {}
