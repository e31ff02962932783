// Letters, digits and _.:- only: no names the parser would otherwise accept,
// e.g. "<!ENTITY ...>" met in content.
const ELEMENT_NAME = /^[\p{L}_][\p{L}\p{N}_.:-]*$/u;

/** Whether `name` is an element name WeChat's documents could hold; callers bound its length first. */
export function isElementName(name: string): boolean {
  return ELEMENT_NAME.test(name);
}
