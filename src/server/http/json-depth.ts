/**
 * Whether JSON text nests at most `max` arrays and objects deep, read without parsing it (parsing and
 * validating a very deep document overflows the stack). Brackets inside strings do not count; the text
 * need not be valid JSON, `JSON.parse` judges that afterwards.
 */
export function jsonDepthWithin(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return true;
}
