import { describe, expect, it } from 'vitest';
import { decimalText, moneyText } from '../../simulators/netbaron/decimal-text.ts';
import { decodeUtf8, parseXml, XmlSyntaxError } from '../../simulators/netbaron/xml-reader.ts';
import { escapeXml, renderXmlDocument } from '../../simulators/netbaron/xml-writer.ts';

describe('NetBaron simulator XML writer', () => {
  it('escapes the five special characters and keeps everything else as UTF-8 text', () => {
    expect(escapeXml(`Tom & Jerry <3 "x" 'y' a>b`)).toBe(
      'Tom &amp; Jerry &lt;3 &quot;x&quot; &apos;y&apos; a&gt;b',
    );
    expect(escapeXml('Pitkä kuvaus äöå €')).toBe('Pitkä kuvaus äöå €');
    expect(escapeXml('a\r\nb')).toBe('a&#13;\nb');
  });

  it('writes a prolog, elements in the given order, empty text as a pair and an empty list self-closed', () => {
    const xml = renderXmlDocument({
      name: 'R',
      children: [
        { name: 'B', text: '' },
        { name: 'A', text: '1' },
        { name: 'L', children: [] },
      ],
    });
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<R>\n  <B></B>\n  <A>1</A>\n  <L/>\n</R>\n');
  });

  it('round-trips text through its own reader', () => {
    const text = 'Åke & <Öhman> "€" \'x\'\r\n\ttab';
    const xml = renderXmlDocument({ name: 'A', text });
    expect(parseXml(xml).text).toBe(text);
  });
});

describe('NetBaron simulator XML reader', () => {
  it('reads elements, references, CDATA and comments', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><R>\n  <A>x &amp; &lt;&gt;&quot;&apos; &#228;&#xF6;</A><B/><C><![CDATA[<&>]]></C><?pi data?></R>\n<!-- end -->\n',
    );
    expect(root.name).toBe('R');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['A', 'x & <>"\' äö'],
      ['B', ''],
      ['C', '<&>'],
    ]);
  });

  it("reads attributes (Finvoice's AmountCurrencyIdentifier) and keeps them apart from the text", () => {
    const root = parseXml(`<A><B AmountCurrencyIdentifier="EUR" n='a&amp;b' >10.12</B><C k="v"/></A>`);
    expect(root.children.map((c) => [c.name, c.text, c.attributes])).toEqual([
      ['B', '10.12', { AmountCurrencyIdentifier: 'EUR', n: 'a&b' }],
      ['C', '', { k: 'v' }],
    ]);
  });

  it('normalises CR LF to LF, as XML requires', () => {
    expect(parseXml('<A>a\r\nb\rc</A>').text).toBe('a\nb\nc');
    expect(parseXml('<A>a&#13;b</A>').text).toBe('a\rb');
  });

  const refusals: Array<[string, RegExp]> = [
    ['', /root element/],
    ['text', /root element/],
    ['<A>', /not closed/],
    ['<A></B>', /expected <\/A> but found <\/B>/],
    ['<A/><B/>', /after the root element/],
    ['<A>x</A>trailing', /after the root element/],
    ['<A>&nbsp;</A>', /unknown entity &nbsp;/],
    ['<A>a & b</A>', /&amp;/],
    ['<A>&#0;</A>', /not a character XML allows/],
    ['<A>]]></A>', /"]]>"/],
    ['<A xmlns="urn:x"/>', /declares a namespace/],
    ['<A x="1" x="2"/>', /attribute x twice/],
    ['<A x=1/>', /in quotes/],
    ['<A x="1"y="2"/>', /malformed start tag/],
    ['<A x="a<b"/>', /"<" is not allowed/],
    ['<A x="a & b"/>', /&amp;/],
    ['<n:A/>', /namespace prefixes/],
    ['<!DOCTYPE A><A/>', /DOCTYPE/],
    ['<?xml version="1.0" encoding="ISO-8859-1"?><A/>', /ISO-8859-1/],
    ['<A/><?xml version="1.0"?>', /declaration is only allowed at the very start/],
    ['<A>\u0001</A>', /U\+0001/],
    ['<A><!-- a -- b --></A>', /"--"/],
    ['<1A/>', /element name/],
  ];
  it.each(refusals)('refuses %j', (xml, message) => {
    expect(() => parseXml(xml)).toThrow(XmlSyntaxError);
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('says where the error is', () => {
    expect(() => parseXml('<A>\n  <B>\n</A>')).toThrow(/line 3, column 1/);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => decodeUtf8(Uint8Array.from([0x3c, 0x41, 0x3e, 0xe4, 0x3c]))).toThrow(/not valid UTF-8/);
    expect(decodeUtf8(Buffer.from('äö€', 'utf8'))).toBe('äö€');
  });

  it('does not recurse, so deep nesting is refused rather than overflowing the stack', () => {
    const deep = '<A>'.repeat(100) + '</A>'.repeat(100);
    expect(() => parseXml(deep)).toThrow(/nested deeper/);
  });
});

describe('NetBaron simulator number text', () => {
  it('writes plain decimals without exponents', () => {
    expect(decimalText(25.5)).toBe('25.5');
    expect(decimalText(-3)).toBe('-3');
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(1.5e-7)).toBe('0.00000015');
    expect(decimalText(1e21)).toBe('1000000000000000000000');
    expect(decimalText(1.25e22)).toBe('12500000000000000000000');
  });

  it('writes money with two decimals, exactly', () => {
    expect(moneyText(24.9)).toBe('24.90');
    expect(moneyText(0.07)).toBe('0.07');
    expect(moneyText(19.9)).toBe('19.90');
    expect(moneyText(-5)).toBe('-5.00');
  });
});
