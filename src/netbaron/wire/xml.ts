import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readPlainXml, RESERVED_NAMES, XML_ENTITIES } from './plain-xml.ts';

/*
 * XML as NetBaron's model speaks it (`netbaron-ws.md` §15.2): UTF-8, no namespaces, no attributes.
 * Values are kept as the exact text received (no number guessing: "00123" stays a code, "24.90" stays
 * exact money until the schema reads it).
 */

/** An element: a name and either text or child elements; undefined content means "omit the element". */
export type XmlNode = readonly [
  name: string,
  content: string | ReadonlyArray<XmlNode | undefined> | undefined,
];

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/**
 * Characters XML 1.0 cannot carry in any form (§2.2): control characters other than tab, LF and CR,
 * lone surrogates, U+FFFE and U+FFFF. A document holding one is not well-formed, so a server refuses it.
 */
const NON_XML_CHARS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without the characters XML forbids, and how many were dropped. */
export function withoutNonXmlChars(text: string): { text: string; removed: number } {
  let removed = 0;
  const clean = text.replace(NON_XML_CHARS, () => {
    removed += 1;
    return '';
  });
  return { text: clean, removed };
}

/** The text of an element as `escapeXml` wrote it (and character references), back to what it says. */
export function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return XML_ENTITIES[name]!;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A container whose every child is omitted is omitted too: an optional block with nothing to say. */
function isEmpty(node: XmlNode): boolean {
  const [, content] = node;
  if (content === undefined) return true;
  if (typeof content === 'string') return false;
  return content.every((c) => c === undefined || isEmpty(c));
}

function render(node: XmlNode, indent: string, out: string[]): void {
  const [name, content] = node;
  if (content === undefined) return;
  if (typeof content === 'string') {
    // Last line of defence: callers clean and report first (`cleanSalesOrder`); never a malformed document.
    out.push(`${indent}<${name}>${escapeXml(withoutNonXmlChars(content).text)}</${name}>`);
    return;
  }
  const children = content.filter((c): c is XmlNode => c !== undefined && !isEmpty(c));
  if (children.length === 0) return;
  out.push(`${indent}<${name}>`);
  for (const child of children) render(child, `${indent}  `, out);
  out.push(`${indent}</${name}>`);
}

export function writeXmlDocument(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, '', out);
  return `${out.join('\n')}\n`;
}

export class XmlFormatError extends Error {
  override name = 'XmlFormatError';
}

/** Parses a document, naming the elements that may repeat so that one occurrence still reads as a list. */
export function parseXmlDocument(xml: string, repeated: ReadonlyArray<string>): Record<string, unknown> {
  return readPlainXml(xml, new Set(repeated)) ?? parseAnyXml(xml, repeated);
}

/** The general parser, for any XML: what `readPlainXml` does not read (and its reference in tests). */
export function parseAnyXml(xml: string, repeated: ReadonlyArray<string>): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    // Names are matched exactly, spaces included (payment methods), so leaf text is kept as sent.
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => repeated.includes(name),
    // The parser throws on these three names (prototype pollution) and would lose the whole page for
    // one unknown element; renamed, they are unknown elements like any other and are ignored.
    transformTagName: (name) => (RESERVED_NAMES.has(name) ? `__${name}` : name),
  });
  const doc = parser.parse(xml) as Record<string, unknown>;
  delete doc['?xml'];
  return doc;
}

/** Text for people: a message quoting 200 000 characters of a remote answer is cut short. */
export function shorten(text: string, max = 200): string {
  if (text.length <= max) return text;
  // Never end on half a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, cut)}… (${text.length} characters)`;
}

/** An empty element (`<Products/>`) parses to ''; read it as an empty list or object. */
export function children(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
