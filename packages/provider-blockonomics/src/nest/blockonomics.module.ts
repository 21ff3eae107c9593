import { Module, type Provider } from '@nestjs/common';
import { providerAdapterToken } from '@cryptopay/provider-kit';
import { BlockonomicsAdapter } from '../blockonomics-adapter.js';
import { type BlockonomicsOptions, validateBlockonomicsOptions } from '../config/blockonomics-options.js';
import { PROVIDER_NAME } from '../mapping/callback-notification.js';
import { BLOCKONOMICS_OPTIONS, BlockonomicsConfigurableModule } from './blockonomics.module-definition.js';

/** `cryptopay:provider-adapter:blockonomics`: where the payments module finds this adapter. */
export const BLOCKONOMICS_ADAPTER = providerAdapterToken(PROVIDER_NAME);

const adapterProvider: Provider = {
  provide: BLOCKONOMICS_ADAPTER,
  // Validation runs here, so invalid options stop start-up with a message naming them.
  useFactory: (options: BlockonomicsOptions) => new BlockonomicsAdapter(validateBlockonomicsOptions(options)),
  inject: [BLOCKONOMICS_OPTIONS],
};

/** Provides the Blockonomics adapter under {@link BLOCKONOMICS_ADAPTER}; `forRoot(options)` / `forRootAsync({ useFactory })`. */
@Module({ providers: [adapterProvider], exports: [BLOCKONOMICS_ADAPTER] })
export class BlockonomicsModule extends BlockonomicsConfigurableModule {}
