import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type BlockonomicsOptions } from '../config/options.js';

export const { ConfigurableModuleClass: BlockonomicsConfigurableModule, MODULE_OPTIONS_TOKEN: BLOCKONOMICS_OPTIONS } =
  new ConfigurableModuleBuilder<BlockonomicsOptions>().setClassMethodName('forRoot').build();
