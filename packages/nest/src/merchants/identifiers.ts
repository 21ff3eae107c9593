import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_LENGTH = 20;

/** `mer_…`, `ak_…`, `pa_…`: a prefix saying what it names, and 100 random bits in lower-case base32. */
export function newId(prefix: 'mer' | 'ak' | 'pa'): string {
  const bytes = randomBytes(ID_LENGTH);
  return `${prefix}_${Array.from(bytes, (byte) => ALPHABET[byte % 32]).join('')}`;
}

/** The shape of an id `newId` makes (or `default`): anything else is no id of ours, looked up never. */
export function isIdOf(prefix: 'mer' | 'ak' | 'pa', value: string): boolean {
  return new RegExp(`^${prefix}_[a-z2-7]{${ID_LENGTH}}$`).test(value);
}
