import { describeProviderConformance } from '@cryptopay/provider-kit/conformance';
import { blockBeeHarness } from './support/harness.js';

describeProviderConformance(blockBeeHarness());
