import type { EntityDecoderOptions } from 'fast-xml-parser';
import { PayloadError } from './errors.js';

// A Map, so names such as "constructor" cannot resolve to inherited members.
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/**
 * Replaces fast-xml-parser's entity handling. The parser reports every
 * DOCTYPE through `addInputEntities`, even an empty one, so refusing there
 * rejects DOCTYPE outright: no DTD entity (billion laughs, XXE) is ever
 * expanded. In text only the five predefined entities and character
 * references are decoded; CDATA content never reaches this decoder.
 */
export const strictXmlEntities: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => {
    throw new PayloadError('doctype_forbidden', 'XML DOCTYPE declarations are not accepted');
  },
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) =>
    text.replace(/&([^&;]*);|&/g, (_match, name?: string) => {
      if (name === undefined) throw new PayloadError('bad_entity', 'bare "&" in XML text');
      return resolveReference(name);
    }),
};

/** The text of `&name;`: one of the five predefined entities or a character reference; anything else is bad_entity. */
export function resolveReference(name: string): string {
  const predefined = PREDEFINED.get(name);
  if (predefined !== undefined) return predefined;
  const hex = /^#x([0-9A-Fa-f]{1,6})$/.exec(name)?.[1];
  const decimal = /^#([0-9]{1,7})$/.exec(name)?.[1];
  const codePoint = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal ?? '', 10);
  if (!isXmlChar(codePoint)) {
    throw new PayloadError('bad_entity', `undeclared or invalid XML entity &${name.slice(0, 16)};`);
  }
  return String.fromCodePoint(codePoint);
}

// XML 1.0 `Char` production.
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
