import { ConnectionFileError } from '../config/connection-file.ts';
import { ConfigError } from '../util/config-error.ts';
import { EmbeddedPostgresError } from '../db/embedded.ts';
import { MigrationError } from '../db/migrate.ts';
import { RemoteError } from '../http/remote-error.ts';

export interface FailureReport {
  /** One line: what happened and what to do. */
  line: string;
  /** What an operator asks for with `--verbose` or LOG_LEVEL=debug: raw server lines, the stack. */
  details: string[];
}

/** Error codes of Node and of PostgreSQL that mean "the database server cannot be reached or let in". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);
const PG_ACCESS: Record<string, string> = {
  '28P01': 'the password of DATABASE_URL was refused',
  '28000': 'the user of DATABASE_URL may not connect',
  '3D000': 'the database named in DATABASE_URL does not exist',
  '57P03': 'the database server is starting up or shutting down',
};

const firstLine = (text: string): string => text.split('\n', 1)[0]!.trim();
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** A node-postgres or socket error's code, also when it is wrapped in an AggregateError (IPv4 and IPv6 tried). */
function errorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (err instanceof AggregateError) for (const inner of err.errors) return errorCode(inner);
  return undefined;
}

/**
 * The one line a failed command prints, and what it keeps back for `--verbose`. Every message of ours
 * already names what to check; here multi-line ones are folded into one line, and a failure of the
 * database itself is worded for the operator instead of showing PostgreSQL's own lines.
 */
export function describeFailure(err: unknown): FailureReport {
  const stack = err instanceof Error && err.stack ? err.stack.split('\n').slice(1) : [];
  if (err instanceof EmbeddedPostgresError)
    return { line: err.message, details: [...err.serverLog, ...stack] };
  if (err instanceof ConnectionFileError) {
    // "<file> is not valid:" followed by one "  - field: rule" line per problem.
    const [head = '', ...rest] = err.message.split('\n');
    const problems = rest.map((l) => l.replace(/^\s*-\s*/, '').trim()).filter(Boolean);
    const what = problems.length ? `${head} ${problems.join('; ')}` : head;
    return {
      line: `${sentence(what)} Correct the connection file (or its path) and run the command again.`,
      details: stack,
    };
  }
  if (err instanceof ConfigError || err instanceof RemoteError)
    return { line: sentence(err.message.split('\n').join(' ')), details: stack };
  if (err instanceof MigrationError)
    return {
      line: `${sentence(firstLine(err.message))} Each migration is all or nothing, and the ones after it did not run: report it with the output of --verbose.`,
      details: stack,
    };
  const code = errorCode(err);
  if (code && UNREACHABLE.has(code))
    return {
      line: `The database server cannot be reached (${code}). Check DATABASE_URL and that the server runs, or leave DATABASE_URL out to use the embedded database.`,
      details: stack,
    };
  if (code && PG_ACCESS[code])
    return {
      line: `The database refused the connection: ${PG_ACCESS[code]}. Check DATABASE_URL.`,
      details: stack,
    };
  const message = err instanceof Error ? err.message : String(err);
  return {
    line: sentence(firstLine(message) || 'failed without a message'),
    details: [...message.split('\n').slice(1), ...stack],
  };
}
