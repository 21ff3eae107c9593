import { registerDecorator } from 'class-validator';
import { textProblem } from '../http/text-rules.js';

interface Pending {
  readonly value: unknown;
  readonly path: string;
}

/**
 * Why `metadata` cannot be stored, naming the place; null when it can. Every key and string value
 * must be text the database keeps as sent. Walks without recursion.
 */
export function metadataProblem(metadata: unknown): string | null {
  const pending: Pending[] = [{ value: metadata, path: 'metadata' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const problem = textProblem(value, 'multiline');
      if (problem) return `${path} ${problem}`;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const children = childrenOf(value, path);
    if (typeof children === 'string') return children;
    for (const [childPath, child] of children) pending.push({ value: child, path: childPath });
  }
  return null;
}

/** The entries of an object or array with their paths, or why a key is refused. */
function childrenOf(value: object, path: string): [string, unknown][] | string {
  if (Array.isArray(value)) return value.map((item, index) => [`${path}[${index}]`, item]);
  const children: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const problem = textProblem(key);
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
