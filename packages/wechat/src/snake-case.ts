/**
 * 'ThumbMediaId' -> 'thumb_media_id', 'MsgID' -> 'msg_id', 'URLLink' -> 'url_link';
 * already snake_case stays as is. One pass: an underscore goes before a
 * capital that follows a lowercase letter or digit, or that ends a run of
 * capitals and starts a word. (The regex `([A-Z]+)([A-Z][a-z])` it replaces
 * backtracked over every run of capitals: quadratic in a key's length.)
 */
export function toSnakeCase(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i += 1) {
    const char = name.charCodeAt(i);
    if (isUpper(char) && i > 0 && startsWord(name.charCodeAt(i - 1), name.charCodeAt(i + 1))) out += '_';
    out += name[i];
  }
  return out.toLowerCase();
}

function startsWord(previous: number, next: number): boolean {
  return isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next));
}

function isUpper(char: number): boolean {
  return char >= 0x41 && char <= 0x5a;
}

function isLower(char: number): boolean {
  return char >= 0x61 && char <= 0x7a;
}

function isDigit(char: number): boolean {
  return char >= 0x30 && char <= 0x39;
}
