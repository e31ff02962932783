/** A CDATA section holding `text` exactly; "]]>" inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** `<xml>` document from [name, already-serialized content] pairs, in order. */
export function xmlDocument(elements: readonly (readonly [string, string])[]): string {
  const children = elements.map(([name, content]) => `<${name}>${content}</${name}>`);
  return `<xml>${children.join('')}</xml>`;
}
