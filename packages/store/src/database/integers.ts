const INTEGER_TEXT = /^-?[0-9]+$/;

/** Reads a `numeric(78,0)` or `bigint` column, which both dialects return as decimal text. */
export function readInteger(value: string, column: string): bigint {
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value)) {
    throw new TypeError(`column ${column} did not hold a whole number`);
  }
  return BigInt(value);
}

/** Writes a bigint exactly as decimal text; the database parses it into `numeric(78,0)`. */
export function writeInteger(value: bigint): string {
  return value.toString();
}
