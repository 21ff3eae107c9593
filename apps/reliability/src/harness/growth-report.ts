import { type StorageSnapshot, growthBetween } from './growth.js';

/** The measured part of a soak: between two snapshots. */
export interface SoakWindow {
  ms: number;
  callbacks: number;
  callbacksByProvider: Record<string, number>;
}

export interface GrowthReportInput {
  instances: number;
  keyPrefix: string;
  window: SoakWindow;
  before: StorageSnapshot;
  after: StorageSnapshot;
  answers: Record<string, number>;
  /** Each provider's result TTL: a key lives that long, so the steady state is rate × TTL. */
  ttlMs: Record<string, number>;
}

const HOUR_MS = 3_600_000;

/**
 * The soak's figures as a person reads them: what grew, extrapolated to an hour at the measured
 * rate, and per 1,000 callbacks an hour (the unit of docs/operations.md's sizing table).
 */
export function describeGrowth(input: GrowthReportInput): string {
  const { window, before, after } = input;
  const hours = window.ms / HOUR_MS;
  const perHour = window.callbacks / hours;
  const growth = growthBetween(before, after);
  const lines = [
    `Soak: ${input.instances} instances, measured ${(window.ms / 1000).toFixed(0)} s: ${window.callbacks} callbacks (${(window.callbacks / (window.ms / 1000)).toFixed(1)}/s, ${Math.round(perHour)}/hour; ${JSON.stringify(window.callbacksByProvider)}), answers of the whole run ${JSON.stringify(input.answers)}`,
    `Redis, idempotency keys under ${input.keyPrefix}: (growth in the window → per hour at this rate; per 1,000 callbacks/hour of that provider: keys written per hour, live keys and bytes at steady state = per hour × TTL)`,
  ];
  for (const { name, items, bytes } of growth.redis) {
    const figures = after.redis[name];
    const provider = name.split(':')[1] ?? name;
    const callbacks = window.callbacksByProvider[provider] ?? 0;
    const ttlHours = (input.ttlMs[provider] ?? 0) / HOUR_MS;
    const keysPer1000 = callbacks === 0 ? 0 : (items / callbacks) * 1000;
    const bytesPerKey = figures && figures.keys > 0 ? figures.bytes / figures.keys : 0;
    lines.push(
      `  ${name.padEnd(22)} +${items} keys +${kb(bytes)} (${bytesPerKey.toFixed(0)} B/key, largest ${figures?.largest ?? 0} B, TTL ${ttlHours.toFixed(2)} h) → +${Math.round(items / hours)} keys/h, +${mb(bytes / hours)}/h;` +
        ` per 1,000 callbacks/h: ${keysPer1000.toFixed(0)} keys/h, steady ${Math.round(keysPer1000 * ttlHours)} keys, ${mb(keysPer1000 * ttlHours * bytesPerKey)}`,
    );
  }
  lines.push(`PostgreSQL tables (rows and bytes incl. indexes and TOAST: growth in the window → per hour at this rate; per 1,000 callbacks):`);
  for (const { name, items, bytes } of growth.tables.filter((table) => table.items !== 0 || table.bytes !== 0)) {
    const per1000 = window.callbacks === 0 ? 0 : 1000 / window.callbacks;
    lines.push(
      `  ${name.padEnd(22)} +${items} rows +${kb(bytes)} → +${Math.round(items / hours)} rows/h, +${mb(bytes / hours)}/h; per 1,000 callbacks: ${(items * per1000).toFixed(0)} rows, ${mb(bytes * per1000)} (now ${after.tables[name]?.rows} rows, ${kb(after.tables[name]?.bytes ?? 0)})`,
    );
  }
  return lines.join('\n');
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
