/**
 * Where a text stops being JSON, as a character offset. JSON.parse knows but says it only in a message
 * that may quote the text (a password beside an unquoted key), and not always with a position; this scan
 * finds the same place without quoting anything. For a text JSON.parse has already refused.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string): void => {
    space();
    if (text[i] !== ch) fail();
    i++;
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === '}') {
          space();
          string();
          expect(':');
        }
        value();
        space();
        if (text[i] === ',') i++;
        else return expect(close);
      }
    }
    if (ch === '"') return string();
    for (const literal of ['true', 'false', 'null'])
      if (text.startsWith(literal, i)) return void (i += literal.length);
    // A lone minus: the fault is the character after it, where a digit was due.
    if (ch === '-' && !/[0-9]/.test(text[i + 1] ?? '')) {
      i++;
      fail();
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (!number.test(text)) fail();
    i = number.lastIndex;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset;
    // Nesting deeper than the stack: no connection file is shaped so; the start is as good a place as any.
    return 0;
  }
  return text.length;
}

class JsonStop {
  constructor(readonly offset: number) {}
}
