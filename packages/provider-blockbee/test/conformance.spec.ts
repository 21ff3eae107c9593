import { describeProviderConformance } from '@cryptopay/provider-testing';
import { blockBeeHarness } from './support/harness.js';

describeProviderConformance(blockBeeHarness());
