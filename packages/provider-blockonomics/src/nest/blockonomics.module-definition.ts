import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type BlockonomicsOptions } from '../config/blockonomics-options.js';

export const {
  ConfigurableModuleClass: BlockonomicsConfigurableModule,
  MODULE_OPTIONS_TOKEN: BLOCKONOMICS_OPTIONS,
  OPTIONS_TYPE: BLOCKONOMICS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BLOCKONOMICS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BlockonomicsOptions>()
  .setClassMethodName('forRoot')
  // Global by default, so the payments module can resolve the adapter by its token.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
