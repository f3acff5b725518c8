import { describe, expect, it } from 'vitest';
import { readPlainXml } from '../../src/netbaron/wire/plain-xml.ts';
import { parseAnyXml, parseXmlDocument, XmlFormatError } from '../../src/netbaron/wire/xml.ts';

const REPEATED = ['R'];
const read = (xml: string) => readPlainXml(xml, new Set(REPEATED));

describe('readPlainXml', () => {
  it.each([
    '<?xml version="1.0" encoding="UTF-8"?>\n<A>\n  <B>1</B>\n  <B>2</B>\n</A>\n',
    '\uFEFF<A><B>  </B><C></C><D/><E> x </E></A>',
    '<A><R>1</R></A>',
    '<A>\n<R/>\n</A>',
    '<A><R><X>1</X></R><R><X>2</X><Y/></R></A>',
    '<A><B><C>1</C></B><B>2</B></A>',
    '<A>&amp;&lt;&gt;&quot;&apos;&#65;&#x41;&#x1F600;</A>',
    '<A >x</A >',
    '<A><__proto__>1</__proto__><constructor>2</constructor></A>',
    '<A/>',
    '<A>x]]>y > z</A>',
  ])('reads %j as the general parser does', (xml) => {
    const fast = read(xml);
    expect(fast).toBeDefined();
    expect(fast).toEqual(parseAnyXml(xml, REPEATED));
  });

  it.each([
    ['an attribute', '<A b="1">x</A>'],
    ['a namespace', '<a:A>x</a:A>'],
    ['a comment', '<A><!-- c --><B>1</B></A>'],
    ['CDATA', '<A><![CDATA[x]]></A>'],
    ['a DOCTYPE', '<!DOCTYPE A><A>x</A>'],
    ['an HTML entity', '<A>&nbsp;</A>'],
    ['an unknown entity', '<A>&auml;</A>'],
    ['a lone ampersand', '<A>a & b</A>'],
    ['a reference to a character XML forbids', '<A>&#0;</A>'],
    ['a carriage return', '<A>a\r\nb</A>'],
    ['a control character', '<A>a\u0001b</A>'],
    ['text beside elements', '<A>t<B>1</B>u</A>'],
    ['a mismatched end tag', '<A><B>1</C></A>'],
    ['an unclosed element', '<A><B>1</B>'],
    ['two root elements', '<A>1</A><B>2</B>'],
    ['text outside the root', '<A>1</A>tail'],
  ])('leaves %s to the general parser', (_, xml) => {
    expect(read(xml)).toBeUndefined();
  });

  it('gives the general parser’s answer, or its error, for what it leaves', () => {
    expect(parseXmlDocument('<A>t<B>1</B>u</A>', [])).toEqual({ A: { B: '1', '#text': 'tu' } });
    expect(parseXmlDocument('<A b="1">x</A>', [])).toEqual({ A: 'x' });
    expect(() => parseXmlDocument('<A><B>1</C></A>', [])).toThrow(XmlFormatError);
  });
});
