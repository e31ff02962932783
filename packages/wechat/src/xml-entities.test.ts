import { describe, expect, it } from 'vitest';
import { strictXmlEntities } from './xml-entities.js';

describe('strictXmlEntities', () => {
  it('refuses any DOCTYPE entity table the parser hands over, even an empty one', () => {
    const tables: Record<string, string>[] = [{}, { lol: 'lol' }, { xxe: 'file:///etc/passwd' }];
    for (const entities of tables) {
      expect(() => strictXmlEntities.addInputEntities(entities)).toThrow(
        expect.objectContaining({ name: 'PayloadError', code: 'doctype_forbidden' }),
      );
    }
  });

  it('decodes only predefined entities and valid character references', () => {
    expect(strictXmlEntities.decode('&lt;a&gt; &amp;&amp; &quot;&apos; &#65;&#x42;&#x1f600;')).toBe(
      '<a> && "\' AB😀',
    );
    expect(strictXmlEntities.decode('no references')).toBe('no references');
  });

  it.each(['&nbsp;', '&lol;', '&constructor;', '&toString;', '&__proto__;', '&#;', '&#x;', '&#xD800;', '&#1114112;', '&#8;', '& ', '&amp'])(
    'rejects %j',
    (text) => {
      expect(() => strictXmlEntities.decode(text)).toThrow(
        expect.objectContaining({ name: 'PayloadError', code: 'bad_entity' }),
      );
    },
  );
});
