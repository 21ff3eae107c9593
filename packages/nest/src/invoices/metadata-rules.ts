import { registerDecorator } from 'class-validator';
import { textProblem } from '../http/text-rules.js';

/**
 * What an invoice's `metadata` may hold: a small JSON object of strings, booleans, null and nested
 * objects or arrays. Numbers are refused: a JSON number is a float once parsed (`0.10` and `0.1`
 * are one value, large integers lose digits), so a merchant's amounts and ids must come as strings.
 */
export const METADATA_LIMITS = {
  /** Levels of objects and arrays, the metadata object itself counting as the first. */
  depth: 4,
  /** Keys and array items, at every level together. */
  entries: 50,
  /** UTF-8 bytes of the metadata as JSON. */
  bytes: 16_384,
  keyLength: 64,
} as const;

interface Pending {
  readonly value: unknown;
  readonly path: string;
  readonly depth: number;
}

/**
 * Why `metadata` cannot be stored, naming the limit or the place; null when it can. Walks without
 * recursion, so no nesting can exhaust the stack.
 */
export function metadataProblem(metadata: unknown): string | null {
  const pending: Pending[] = [{ value: metadata, path: 'metadata', depth: 1 }];
  let entries = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'string') {
      const problem = textProblem(value, 'multiline');
      if (problem) return `${path} ${problem}`;
      continue;
    }
    if (typeof value === 'number') return `${path} is a JSON number; write it as a string ("42", "0.10"): a number would be kept as a float`;
    if (typeof value !== 'object') return `${path} must be a string, boolean, null, object or array`;
    if (depth > METADATA_LIMITS.depth) return `metadata must not nest deeper than ${METADATA_LIMITS.depth} levels of objects and arrays (${path} is deeper)`;
    const children = childrenOf(value, path);
    if (typeof children === 'string') return children;
    entries += children.length;
    if (entries > METADATA_LIMITS.entries) return `metadata must not hold more than ${METADATA_LIMITS.entries} keys and array items in all`;
    for (const [childPath, child] of children) pending.push({ value: child, path: childPath, depth: depth + 1 });
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  return bytes > METADATA_LIMITS.bytes ? `metadata must not be larger than ${METADATA_LIMITS.bytes} bytes as JSON` : null;
}

/** The entries of an object or array with their paths, or why a key is refused. */
function childrenOf(value: object, path: string): [string, unknown][] | string {
  if (Array.isArray(value)) return value.map((item, index) => [`${path}[${index}]`, item]);
  const children: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const problem = key.length === 0 || key.length > METADATA_LIMITS.keyLength ? `must be 1 to ${METADATA_LIMITS.keyLength} characters` : textProblem(key);
    if (problem) return `${path}: a key ${problem}`;
    children.push([`${path}.${key}`, item]);
  }
  return children;
}

/** The `metadata` property must pass {@link metadataProblem}. */
export function IsInvoiceMetadata(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInvoiceMetadata',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => value === undefined || metadataProblem(value) === null,
        defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is invalid',
      },
    });
}
