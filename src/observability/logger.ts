import { writeSync } from 'node:fs';
import { pino, stdTimeFunctions, type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * Structured logs on pino: JSON lines for machines, one short line each for a person at a terminal.
 * Keys that name a secret are masked whatever their value, as a second line of defence behind the rule
 * that no credential is ever handed to the logger.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `auto`: readable lines when stderr is a terminal, JSON lines otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';
const SECRET_KEY = /pass(word)?|secret|api_?key|authorization|token|credential|cookie/i;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Receives each line without its newline (tests); stderr otherwise. */
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
}

export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : maskSecrets(v, depth + 1);
  return out;
}

const masked = (fields: Record<string, unknown>): Record<string, unknown> =>
  maskSecrets(fields) as Record<string, unknown>;

/** One line, no pid or host, local time of day: what a person reading a terminal needs. */
const prettyLine = prettyFactory({
  colorize: false,
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname',
  // Our `err` and `error` fields are already short (a message, or name and message): kept on the line.
  errorLikeObjectKeys: [],
});

const pause = new Int32Array(new SharedArrayBuffer(4));
/** How long a full stderr pipe may hold up one line before the line is dropped rather than the process. */
const STALLED_WRITE_MS = 10_000;

/**
 * The whole line, however the pipe takes it. Stderr may be a non-blocking pipe (a supervisor, a log
 * collector, a test reading a child's output) that fills when its reader falls behind: the write then
 * fails with EAGAIN or takes part of the line. Thrown, that error would end the process over a log line;
 * so the rest is written once the reader has caught up, waiting a millisecond at a time.
 */
function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  const started = Date.now();
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      if (Date.now() - started > STALLED_WRITE_MS) return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * Written with a synchronous call, so the last lines before an exit are not lost in a buffer. A log
 * line is small and rare next to the work it reports on, so the blocking write costs nothing that shows.
 */
function destinationOf(options: LoggerOptions): DestinationStream {
  const pretty =
    options.format === 'pretty' ||
    (options.format !== 'json' && !options.write && process.stderr.isTTY === true);
  const out = options.write ?? ((line: string) => writeFully(2, `${line}\n`));
  return {
    write: (chunk: string) => {
      const line = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
      out(pretty ? prettyLine(line).replace(/\n$/, '') : line);
    },
  };
}

function wrap(p: pino.Logger): Logger {
  const emit =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (!p.isLevelEnabled(level)) return;
      p[level](fields ? masked(fields) : {}, message);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (bindings) => wrap(p.child(masked(bindings))),
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const p = pino(
    {
      level: options.level ?? 'info',
      // Which process wrote a line is for the caller to bind (serve does when several run).
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // maskSecrets already turned an error into its name and message; a stack is no log reader's business.
      serializers: { err: (value: unknown) => value },
    },
    destinationOf(options),
  );
  return wrap(options.bindings ? p.child(masked(options.bindings)) : p);
}

export const silentLogger: Logger = wrap(pino({ level: 'silent' }, { write: () => undefined }));
