import { type LoggerService } from '@nestjs/common';

export interface RecordedLine {
  readonly level: 'log' | 'warn' | 'error';
  /** `<context> <message>`, as the line would read. */
  readonly text: string;
  /** The stack an error line was given, if any. */
  readonly stack?: unknown;
}

/** Keeps every line Nest's logger is given, for tests to read. */
export class RecordingLogger implements LoggerService {
  readonly lines: RecordedLine[] = [];

  log(message: unknown, context?: unknown): void {
    this.lines.push({ level: 'log', text: `${String(context)} ${String(message)}` });
  }

  warn(message: unknown, context?: unknown): void {
    this.lines.push({ level: 'warn', text: `${String(context)} ${String(message)}` });
  }

  error(message: unknown, stack?: unknown, context?: unknown): void {
    this.lines.push({ level: 'error', text: `${String(context)} ${String(message)}`, stack });
  }
}
