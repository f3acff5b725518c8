import { NON_XML_CHARS } from './xml-writer.ts';

/**
 * A strict reader for the request bodies of this interface. It is hand-written rather than built on a
 * lenient parser so that it refuses what a schema-validating server would refuse: several roots,
 * undeclared entities, a DOCTYPE, namespaces (the model uses none, §15.2), and text that is not valid
 * UTF-8. Attributes are read and ignored: Finvoice carries some (`AmountCurrencyIdentifier="EUR"`) and a
 * server built on it would not refuse them.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** Character data directly inside the element, references decoded, CDATA included. */
  text: string;
  /** Attributes as written (values decoded); nothing in this interface uses them. */
  attributes?: Record<string, string>;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const MAX_DEPTH = 64;
const NAME = /[A-Za-z_][A-Za-z0-9._-]*/y;
const WS = /[ \t\n]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    // fatal: invalid byte sequences must be refused, not replaced with U+FFFD; a leading BOM is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new XmlSyntaxError('the body is not valid UTF-8');
  }
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    let line = 1;
    let lineStart = 0;
    for (let k = this.s.indexOf('\n'); k !== -1 && k < at; k = this.s.indexOf('\n', k + 1)) {
      line += 1;
      lineStart = k + 1;
    }
    throw new XmlSyntaxError(
      `XML is not well-formed at line ${line}, column ${at - lineStart + 1}: ${message}`,
    );
  }

  startsWith(prefix: string): boolean {
    return this.s.startsWith(prefix, this.i);
  }

  skipWs(): void {
    WS.lastIndex = this.i;
    WS.exec(this.s);
    this.i = WS.lastIndex;
  }

  name(): string {
    NAME.lastIndex = this.i;
    const m = NAME.exec(this.s);
    if (!m) this.fail('expected an element name');
    this.i = NAME.lastIndex;
    if (this.s[this.i] === ':') this.fail(`namespace prefixes are not used in this interface (${m[0]}:…)`);
    return m[0];
  }

  until(terminator: string, what: string): string {
    const end = this.s.indexOf(terminator, this.i);
    if (end === -1) this.fail(`unterminated ${what}`);
    const body = this.s.slice(this.i, end);
    this.i = end + terminator.length;
    return body;
  }

  comment(): void {
    this.i += 4;
    const body = this.until('-->', 'comment');
    if (body.includes('--') || body.endsWith('-')) this.fail('"--" is not allowed inside a comment');
  }

  processingInstruction(): void {
    const at = this.i;
    this.i += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml')
      this.fail('the XML declaration is only allowed at the very start', at);
    this.until('?>', 'processing instruction');
  }

  /** Comments, processing instructions and whitespace, allowed before and after the root. */
  misc(): void {
    for (;;) {
      this.skipWs();
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<!DOCTYPE')) this.fail('a DOCTYPE is not accepted');
      else if (this.startsWith('<?')) this.processingInstruction();
      else return;
    }
  }

  declaration(): void {
    if (!/^<\?xml[ \t\n?]/.test(this.s)) return;
    this.i = 5;
    const body = this.until('?>', 'XML declaration');
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
    if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') {
      this.fail(`encoding "${encoding}" is not accepted; everything is UTF-8`, 0);
    }
    if (!/^\s*version\s*=\s*["']1\.[0-9]+["']/.test(body))
      this.fail('the XML declaration needs version="1.0"', 0);
  }

  /** Decodes references in a run of character data; every `&` must start one. */
  charData(raw: string, at: number): string {
    if (raw.includes(']]>')) this.fail('"]]>" is not allowed in text', at + raw.indexOf(']]>'));
    if (!raw.includes('&')) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      out += raw.slice(from, amp);
      const semi = raw.indexOf(';', amp);
      const ref = semi === -1 ? '' : raw.slice(amp + 1, semi);
      if (semi === -1 || !/^(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+)$/.test(ref)) {
        this.fail('"&" must be written as "&amp;"', at + amp);
      }
      if (ref.startsWith('#')) {
        const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(cp)) this.fail(`&${ref}; is not a character XML allows`, at + amp);
        out += String.fromCodePoint(cp);
      } else {
        const decoded = PREDEFINED[ref];
        if (decoded === undefined) this.fail(`unknown entity &${ref};`, at + amp);
        out += decoded;
      }
      from = semi + 1;
    }
    return out + raw.slice(from);
  }

  /** One `name="value"` (or single quotes) at the cursor, its value's references decoded. */
  attribute(element: string, into: Record<string, string>): void {
    const at = this.i;
    const name = this.name();
    if (name === 'xmlns') this.fail(`<${element}> declares a namespace; this interface uses none`, at);
    if (Object.hasOwn(into, name)) this.fail(`<${element}> has the attribute ${name} twice`, at);
    this.skipWs();
    if (this.s[this.i] !== '=') this.fail(`attribute ${name} of <${element}> has no value`);
    this.i += 1;
    this.skipWs();
    const quote = this.s[this.i];
    if (quote !== '"' && quote !== "'") this.fail(`the value of attribute ${name} must be in quotes`);
    this.i += 1;
    const start = this.i;
    const raw = this.until(quote, `value of attribute ${name}`);
    if (raw.includes('<')) this.fail(`"<" is not allowed in the value of attribute ${name}`, start);
    into[name] = this.charData(raw, start);
  }

  /** Reads a start tag at `<`; answers whether the element is empty (`<X/>`). */
  startTag(): { name: string; selfClosing: boolean; attributes?: Record<string, string> } {
    this.i += 1;
    const name = this.name();
    let attributes: Record<string, string> | undefined;
    for (;;) {
      const before = this.i;
      this.skipWs();
      if (this.startsWith('/>')) {
        this.i += 2;
        return { name, selfClosing: true, ...(attributes ? { attributes } : {}) };
      }
      if (this.s[this.i] === '>') {
        this.i += 1;
        return { name, selfClosing: false, ...(attributes ? { attributes } : {}) };
      }
      if (this.i === before || !/[A-Za-z_]/.test(this.s[this.i] ?? '')) {
        return this.fail(`malformed start tag <${name}`);
      }
      attributes ??= Object.create(null) as Record<string, string>;
      this.attribute(name, attributes);
    }
  }

  element(): XmlElement {
    const first = this.startTag();
    const root: XmlElement = {
      name: first.name,
      children: [],
      text: '',
      ...(first.attributes ? { attributes: first.attributes } : {}),
    };
    if (first.selfClosing) return root;
    const stack: XmlElement[] = [root];
    while (stack.length > 0) {
      const current = stack[stack.length - 1]!;
      const lt = this.s.indexOf('<', this.i);
      if (lt === -1) this.fail(`<${current.name}> is not closed`, this.s.length);
      if (lt > this.i) current.text += this.charData(this.s.slice(this.i, lt), this.i);
      this.i = lt;
      if (this.startsWith('</')) {
        const at = this.i;
        this.i += 2;
        const name = this.name();
        this.skipWs();
        if (this.s[this.i] !== '>') this.fail(`malformed end tag </${name}`);
        this.i += 1;
        if (name !== current.name) this.fail(`expected </${current.name}> but found </${name}>`, at);
        stack.pop();
      } else if (this.startsWith('<!--')) {
        this.comment();
      } else if (this.startsWith('<![CDATA[')) {
        this.i += 9;
        current.text += this.until(']]>', 'CDATA section');
      } else if (this.startsWith('<?')) {
        this.processingInstruction();
      } else if (this.startsWith('<!')) {
        this.fail('unexpected markup declaration');
      } else {
        const tag = this.startTag();
        const child: XmlElement = {
          name: tag.name,
          children: [],
          text: '',
          ...(tag.attributes ? { attributes: tag.attributes } : {}),
        };
        current.children.push(child);
        if (!tag.selfClosing) {
          if (stack.length >= MAX_DEPTH) this.fail(`elements are nested deeper than ${MAX_DEPTH} levels`);
          stack.push(child);
        }
      }
    }
    return root;
  }
}

/** Parses one XML document into its root element; throws XmlSyntaxError with a line and column. */
export function parseXml(source: string): XmlElement {
  // XML end-of-line handling: CR LF and lone CR read as LF.
  const s = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const bad = NON_XML_CHARS.exec(s);
  const reader = new Reader(s);
  if (bad)
    reader.fail(
      `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
      bad.index,
    );
  reader.declaration();
  reader.misc();
  if (reader.s[reader.i] !== '<' || reader.i >= s.length) reader.fail('expected the root element');
  const root = reader.element();
  reader.misc();
  if (reader.i < s.length) reader.fail('content after the root element');
  return root;
}

export function parseXmlBytes(bytes: Uint8Array): XmlElement {
  return parseXml(decodeUtf8(bytes));
}

/** True when the text is only XML whitespace, i.e. indentation between elements. */
export function isBlank(text: string): boolean {
  return /^[ \t\n]*$/.test(text);
}
