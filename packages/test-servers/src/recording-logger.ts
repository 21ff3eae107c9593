import type { LoggerService } from '@nestjs/common';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface LogEntry {
  readonly level: LogLevel;
  /** The context Nest gave the line (the class that logged it), if any. */
  readonly context: string | undefined;
  readonly message: string;
  /** `<context> <message>`, as the line reads. */
  readonly text: string;
  /** The stack an error line was given, if any. */
  readonly stack?: unknown;
}

/**
 * A Nest `LoggerService` that keeps every line with its level and context, so a test can assert what
 * an operator would read (and that a secret never reaches the log). Give it to the app:
 * `createNestApplication({ logger })`.
 */
export class RecordingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];

  /** Every line as it reads: `<level> <context> <message>`. */
  get lines(): string[] {
    return this.entries.map((entry) => `${entry.level} ${entry.text}`);
  }

  /** The text (`<context> <message>`) of every line at `level`. */
  at(level: LogLevel): string[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.text);
  }

  errors(): string[] {
    return this.at('error');
  }

  // Nest's `Logger` passes the context last, after any other parameters.
  log = (message: unknown, ...params: unknown[]) => this.record('log', message, params.at(-1));
  warn = (message: unknown, ...params: unknown[]) => this.record('warn', message, params.at(-1));
  debug = (message: unknown, ...params: unknown[]) => this.record('debug', message, params.at(-1));
  verbose = (message: unknown, ...params: unknown[]) => this.record('verbose', message, params.at(-1));
  fatal = (message: unknown, ...params: unknown[]) => this.record('fatal', message, params.at(-1));

  /** Nest's `Logger` calls it as `(message, stack, context)`, the stack `undefined` when there is none. */
  error(message: unknown, stack?: unknown, context?: unknown): void {
    this.record('error', message, context, stack);
  }

  private record(level: LogLevel, message: unknown, context: unknown, stack?: unknown): void {
    const named = typeof context === 'string' ? context : undefined;
    const text = named === undefined ? String(message) : `${named} ${String(message)}`;
    this.entries.push({ level, context: named, message: String(message), text, ...(stack === undefined ? {} : { stack }) });
  }
}
