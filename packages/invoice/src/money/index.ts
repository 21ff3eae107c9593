export { MoneyError, type MoneyErrorCode } from './money-error.js';
export { type Decimal, parseDecimal, parseInteger, formatUnits, divideRoundingUp } from './decimal.js';
export { type CoinDefinition, CoinRegistry, DEFAULT_COINS, isCoinCode } from './coins.js';
export { parseCoinAmount, parseBaseUnits, formatCoinAmount } from './coin-amount.js';
export { type FiatAmount, parseFiatAmount, formatFiatAmount, currencyExponent } from './fiat.js';
export { type ExchangeRate, parseExchangeRate, formatExchangeRate, quoteCoinAmount } from './quote.js';
