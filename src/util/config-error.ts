/**
 * A setting the operator must fix (an environment variable, a key file, a connection file). Its own
 * class so that every entry point answers it with the setting's name and exit code 2, never a stack.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
