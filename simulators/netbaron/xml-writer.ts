/**
 * A small XML writer: element order is exactly the order of `children`, there are no attributes or
 * namespaces (§15.2), and a `text` element is always written with both tags, so an empty string gives
 * `<EAN></EAN>`, while a `children` element with none gives `<Products/>`, as in the reference.
 */
export type XmlNode = { name: string; text: string } | { name: string; children: XmlNode[] };

export const leaf = (name: string, text: string): XmlNode => ({ name, text });
export const node = (name: string, children: XmlNode[]): XmlNode => ({ name, children });

const SPECIAL = /[&<>"'\r]/;
const SPECIAL_ALL = /[&<>"'\r]/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would be normalised to LF by the reader's parser; the reference keeps it.
  '\r': '&#13;',
};

export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ENTITY[c] ?? c) : text;
}

function write(out: string[], item: XmlNode, indent: string): void {
  if ('text' in item) {
    out.push(`${indent}<${item.name}>${escapeXml(item.text)}</${item.name}>\n`);
    return;
  }
  if (item.children.length === 0) {
    out.push(`${indent}<${item.name}/>\n`);
    return;
  }
  out.push(`${indent}<${item.name}>\n`);
  const inner = `${indent}  `;
  for (const child of item.children) write(out, child, inner);
  out.push(`${indent}</${item.name}>\n`);
}

export function renderXmlDocument(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(out, root, '');
  return out.join('');
}

/** Characters XML 1.0 cannot carry at all, even as references; a state string holding one is refused. */
export const NON_XML_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
