import { describe } from '@jest/globals';
import { describeProviderConformance } from '../src/index.js';
import { tokenPayHarness } from './support/tokenpay-harness.js';

// A provider unlike ours passes: it sets the amount itself, proves callbacks with invoice tokens, names no address in them and sends test callbacks to ignore.
describe('the token in a form field', () => {
  describeProviderConformance(tokenPayHarness());
});

describe('the token in the callback URL', () => {
  describeProviderConformance(tokenPayHarness({ adapter: { tokenIn: 'query' } }));
});
