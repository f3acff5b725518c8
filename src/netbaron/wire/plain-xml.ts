/*
 * NetBaron's answers in the form its model writes them (`netbaron-ws.md` §15.2: UTF-8, no namespaces,
 * no attributes), read in one pass. A product listing of 100 000 items is mostly this reading: the
 * general parser took about 7 of the 16 CPU seconds of a no-change import (validation, path matching
 * and node objects per element). Whatever is not that plain form (an attribute, a comment, CDATA, a
 * DOCTYPE, an entity other than XML's five and character references, a carriage return, text beside
 * child elements that is not only white space, anything malformed) makes this reader give up, and the
 * general parser reads the document as before: the result is the same either way, only slower.
 */

/**
 * Element names the general parser throws on (prototype pollution): both readers rename them, so that
 * they are unknown elements like any other and are ignored.
 */
export const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_][\w.-]*\s*$/;
const KNOWN = /&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** XML's five named entities. */
export const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A code point XML 1.0 lets a document carry (§2.2). */
const isXmlChar = (c: number): boolean =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

class NotPlain extends Error {}

function decode(text: string): string {
  if (!text.includes('&')) return text;
  let found = 0;
  const out = text.replace(KNOWN, (_, name: string) => {
    found += 1;
    if (!name.startsWith('#')) return XML_ENTITIES[name]!;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    if (!isXmlChar(code)) throw new NotPlain();
    return String.fromCodePoint(code);
  });
  // An `&` that starts none of those is left to the general parser (it decides what it means).
  if (text.split('&').length - 1 !== found) throw new NotPlain();
  return out;
}

interface Frame {
  name: string;
  /** Its child elements, once it has one. */
  obj: Record<string, unknown> | undefined;
  /** Every piece of text directly inside it, as read. */
  text: string;
}

function add(parent: Frame, name: string, value: unknown, repeated: ReadonlySet<string>): void {
  const obj = (parent.obj ??= {});
  const key = RESERVED_NAMES.has(name) ? `__${name}` : name;
  const prev = obj[key];
  if (repeated.has(name)) {
    if (prev === undefined) obj[key] = [value];
    else (prev as unknown[]).push(value);
  } else if (prev === undefined) obj[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  // A name not declared as repeating that comes again becomes a list, as the general parser makes it.
  else obj[key] = [prev, value];
}

function valueOf(frame: Frame): unknown {
  if (!frame.obj) return decode(frame.text);
  if (frame.text === '') return frame.obj;
  // Only white space may stand beside child elements here; it is kept as the general parser keeps it.
  if (frame.text.trim() !== '') throw new NotPlain();
  frame.obj['#text'] = frame.text;
  return frame.obj;
}

function read(xml: string, repeated: ReadonlySet<string>): Record<string, unknown> {
  if (xml.includes('\r') || CONTROL.test(xml)) throw new NotPlain();
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < xml.length && xml.charCodeAt(i) <= 0x20) i += 1;
  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end < 0) throw new NotPlain();
    i = end + 2;
  }
  const doc: Frame = { name: '', obj: {}, text: '' };
  const stack: Frame[] = [];
  let current = doc;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > i) current.text += xml.slice(i, textEnd);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new NotPlain();
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const name = xml.slice(lt + 2, gt).trimEnd();
      if (name !== current.name || stack.length === 0) throw new NotPlain();
      const value = valueOf(current);
      current = stack.pop()!;
      add(current, name, value, repeated);
    } else {
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) throw new NotPlain();
      const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
      const tag = xml.slice(lt + 1, selfClosing ? gt - 1 : gt);
      if (!NAME.test(tag)) throw new NotPlain();
      const name = tag.trimEnd();
      // A second root element: the general parser refuses the document.
      if (stack.length === 0 && Object.keys(doc.obj!).length > 0) throw new NotPlain();
      if (selfClosing) add(current, name, '', repeated);
      else {
        stack.push(current);
        current = { name, obj: undefined, text: '' };
      }
    }
    i = gt + 1;
  }
  // Unclosed elements, or text outside the root element that is not white space.
  if (stack.length > 0 || doc.text.trim() !== '') throw new NotPlain();
  return doc.obj!;
}

/**
 * The document as the general parser reads it (repeated names as lists, text kept exactly, empty
 * elements as ''), or undefined when it is not in the plain form this reader knows.
 */
export function readPlainXml(
  xml: string,
  repeated: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  try {
    return read(xml, repeated);
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}
