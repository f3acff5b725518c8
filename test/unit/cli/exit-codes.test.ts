import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/describe-failure.ts';
import { EXIT, exitCodeForCommander } from '../../../src/cli/exit-codes.ts';
import { ConnectionFileError } from '../../../src/config/connection-file.ts';
import { ConfigError } from '../../../src/util/config-error.ts';
import { EmbeddedPostgresError } from '../../../src/db/embedded.ts';

/** A small program shaped like ours, whose errors are caught the way main.ts catches them. */
function exitCodeOf(argv: string[]): number {
  const program = new Command()
    .name('netbaron')
    .version('9.9.9')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  const count = (v: string) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('not a number');
    return Number(v);
  };
  program
    .command('check')
    .requiredOption('--config <file>')
    .option('--limit <n>', 'a number', count)
    .addOption(new Option('--role <role>').choices(['all', 'web']))
    .action(() => undefined);
  program
    .command('connections')
    .command('list')
    .action(() => undefined);
  try {
    program.parse(argv, { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return exitCodeForCommander(err.code, err.exitCode);
  }
}

describe('exit codes of the command line', () => {
  it('is 64 for every usage error commander finds', () => {
    expect(exitCodeOf(['check', '--config', 'x', '--bogus'])).toBe(64);
    expect(exitCodeOf(['nosuch'])).toBe(64);
    expect(exitCodeOf(['check'])).toBe(64); // the required --config is missing
    expect(exitCodeOf(['check', '--config'])).toBe(64); // the option's value is missing
    expect(exitCodeOf(['check', '--config', 'x', '--limit', 'many'])).toBe(64);
    expect(exitCodeOf(['check', '--config', 'x', '--role', 'boss'])).toBe(64);
    expect(exitCodeOf(['check', '--config', 'x', 'extra'])).toBe(64);
    // A group without its subcommand prints the help, but did nothing that was asked.
    expect(exitCodeOf(['connections'])).toBe(64);
  });

  it('is 0 for help and the version, which are answers', () => {
    expect(exitCodeOf(['--help'])).toBe(0);
    expect(exitCodeOf(['check', '--help'])).toBe(0);
    expect(exitCodeOf(['help'])).toBe(0);
    expect(exitCodeOf(['--version'])).toBe(0);
    expect(exitCodeOf(['check', '--config', 'x'])).toBe(0);
  });

  it('keeps the documented numbers', () => {
    expect(EXIT).toEqual({ OK: 0, FAILED: 1, NEEDS_ATTENTION: 2, USAGE: 64 });
  });
});

describe('a failed command in one line', () => {
  it('folds the fields of an invalid connection file into the line, and says what to do', () => {
    const { line } = describeFailure(
      new ConnectionFileError(
        'shop.json is not valid:\n  - mycashflow.baseUrl: must be an address\n  - netbaron: Required',
      ),
    );
    expect(line).toBe(
      'shop.json is not valid: mycashflow.baseUrl: must be an address; netbaron: Required. Correct the connection file (or its path) and run the command again.',
    );
  });

  it("keeps PostgreSQL's own lines for --verbose", () => {
    const report = describeFailure(
      new EmbeddedPostgresError('Embedded PostgreSQL could not start in /d/pg. Stop it.', [
        'FATAL:  lock file "postmaster.pid" already exists',
      ]),
    );
    expect(report.line).toBe('Embedded PostgreSQL could not start in /d/pg. Stop it.');
    expect(report.details[0]).toContain('lock file');
  });

  it('words an unreachable database for the operator, naming DATABASE_URL', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
    expect(describeFailure(new AggregateError([refused], '')).line).toMatch(
      /^The database server cannot be reached \(ECONNREFUSED\)\. Check DATABASE_URL/,
    );
    const password = Object.assign(new Error('password authentication failed for user "x"'), {
      code: '28P01',
    });
    expect(describeFailure(password).line).toBe(
      'The database refused the connection: the password of DATABASE_URL was refused. Check DATABASE_URL.',
    );
  });

  it('gives every other error its first line, the rest only for --verbose', () => {
    expect(describeFailure(new ConfigError('invalid environment: PORT: must be a port')).line).toBe(
      'invalid environment: PORT: must be a port.',
    );
    const report = describeFailure(new Error('order 7 is not in the ledger\nsecond line'));
    expect(report.line).toBe('order 7 is not in the ledger.');
    expect(report.details[0]).toBe('second line');
    expect(report.line).not.toContain('\n');
  });
});
