import { Module, type Provider } from '@nestjs/common';
import { BlockonomicsAdapter } from '../adapter.js';
import { type BlockonomicsOptions, validateBlockonomicsOptions } from '../config/options.js';
import { BLOCKONOMICS_OPTIONS, BlockonomicsConfigurableModule } from './provider.module-definition.js';

const adapterProvider: Provider = {
  provide: BlockonomicsAdapter,
  // Validation runs here, so invalid options stop start-up with a message naming them.
  useFactory: (options: BlockonomicsOptions) => new BlockonomicsAdapter(validateBlockonomicsOptions(options)),
  inject: [BLOCKONOMICS_OPTIONS],
};

/**
 * Provides the {@link BlockonomicsAdapter}: `forRoot(options)` / `forRootAsync({ useFactory })`.
 * Hand it to the payments module, which discovers the adapter by its `@PaymentProvider()` mark.
 */
@Module({ providers: [adapterProvider], exports: [BlockonomicsAdapter] })
export class BlockonomicsModule extends BlockonomicsConfigurableModule {}
