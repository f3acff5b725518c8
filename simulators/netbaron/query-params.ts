import { validationError } from './errors.ts';

/**
 * Reads a query strictly: a parameter the model does not know, or one given twice, is refused, so that a
 * misspelt flag (`Getprices=true`) fails loudly instead of silently leaving prices out.
 */
export class QueryParams {
  private readonly values = new Map<string, string>();

  constructor(query: URLSearchParams, known: readonly string[]) {
    for (const [key, value] of query) {
      if (!known.includes(key)) {
        throw validationError(`Unknown parameter "${key}"; this call accepts ${known.join(', ')}.`);
      }
      if (this.values.has(key)) throw validationError(`Parameter "${key}" is given more than once.`);
      this.values.set(key, value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  text(name: string): string | undefined {
    return this.values.get(name);
  }

  /**
   * `true` or `false` in any case: the reference writes TRUE/FALSE and once `true` (§4), so a server
   * that refused either would contradict its own pages. Omitted means false.
   */
  flag(name: string): boolean {
    const value = this.values.get(name)?.toLowerCase();
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    throw validationError(`Parameter ${name} must be TRUE or FALSE, not "${this.values.get(name)}".`);
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.values.get(name);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw validationError(
        `Parameter ${name} must be a whole number from ${min} to ${max}, not "${value}".`,
      );
    }
    return n;
  }
}
