import type { LoggerService } from '@nestjs/common';

/** Keeps the app's log lines so a test can assert what an operator would read. */
export class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];

  log = (message: unknown) => this.record('log', message);
  warn = (message: unknown) => this.record('warn', message);
  error = (message: unknown) => this.record('error', message);
  debug = () => undefined;
  verbose = () => undefined;

  errors(): string[] {
    return this.lines.filter((line) => line.startsWith('error '));
  }

  private record(level: string, message: unknown): void {
    this.lines.push(`${level} ${String(message)}`);
  }
}
