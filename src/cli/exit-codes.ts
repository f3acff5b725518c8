/*
 * The CLI's exit codes, one table for every command (the README repeats it), so that a script or a
 * service manager can tell "failed" from "done, but a person is needed".
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Failed: nothing or only part was done; the one-line message says why and what to do. */
  FAILED: 1,
  /** Done, but needs a person: a guard stopped the run, orders wait, `check` found problems, codes are held. */
  NEEDS_ATTENTION: 2,
  /** The command line itself is wrong: an unknown command or flag, a missing option, a bad argument (BSD's EX_USAGE). */
  USAGE: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code for an error commander throws under `exitOverride()`, from its `code` and the exit code
 * commander itself would have used.
 */
export function exitCodeForCommander(code: string, commanderExitCode: number): ExitCode {
  // Help and the version were asked for and printed: an answer, not an error.
  if (code === 'commander.helpDisplayed' || code === 'commander.version') return EXIT.OK;
  // `netbaron help` answers with 0; a bare group command (`netbaron connections`) prints the same help
  // with 1, since nothing that was asked got done: that is a usage error.
  if (code === 'commander.help') return commanderExitCode === 0 ? EXIT.OK : EXIT.USAGE;
  // A failed external subcommand; we have none, but it would be no usage error.
  if (code === 'commander.executeSubCommandAsync') return EXIT.FAILED;
  // Every other code is about the command line: an unknown option or command, a missing argument or
  // option, an invalid argument or choice, conflicting options, excess arguments.
  return EXIT.USAGE;
}
