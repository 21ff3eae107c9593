import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type BlockBeeOptions } from '../config/options.js';

export const {
  ConfigurableModuleClass: BlockBeeConfigurableModule,
  MODULE_OPTIONS_TOKEN: BLOCKBEE_OPTIONS,
  OPTIONS_TYPE: BLOCKBEE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BLOCKBEE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BlockBeeOptions>()
  .setClassMethodName('forRoot')
  .build();
