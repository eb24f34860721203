import { Writable } from 'node:stream';
import { containsCanary } from './pii-canary';

/** A pino destination that keeps every line, and optionally echoes it (TEST_LOG_LEVEL set). */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];

  constructor(private readonly echo?: NodeJS.WritableStream) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = chunk.toString('utf8');
    this.lines.push(text);
    this.echo?.write(text);
    done();
  }

  /** Throws when any line carries the PII canary: personal data reached the log. */
  expectNoCanary(): void {
    const leaked = this.lines.filter(containsCanary);
    if (leaked.length > 0)
      throw new Error(
        `medical information reached the log: ${leaked.length} line(s), e.g. ${leaked[0].slice(0, 300)}`,
      );
  }
}
