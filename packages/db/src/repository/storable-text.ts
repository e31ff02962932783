// Node 20 has these (ES2024); the shared tsconfig's lib is ES2023.
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const REPLACEMENT_ESCAPE = '\\ufffd';

/** PostgreSQL's text and jsonb hold neither NUL (22P05) nor a lone UTF-16 surrogate (22P02 in jsonb). */
export function isStorableText(text: string): boolean {
  return !text.includes('\0') && (text as Es2024String).isWellFormed();
}

/** NUL and lone surrogates become U+FFFD; everything else stays as it is. */
export function toStorableText(text: string): string {
  return (text.replaceAll('\0', '\ufffd') as Es2024String).toWellFormed();
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * JSON text that jsonb accepts: a `\u0000` escape, or a `\uD800`-`\uDFFF`
 * escape not part of a pair, becomes `\ufffd` (JSON.stringify writes NUL and
 * lone surrogates as such escapes); raw NUL and lone surrogates become
 * U+FFFD. Undefined when nothing needed replacing. One pass, left to right.
 */
export function toStorableJsonText(json: string): string | undefined {
  if (!json.includes('\\u') && isStorableText(json)) return undefined;
  let out = '';
  let copied = 0;
  let changed = false;
  for (let i = json.indexOf('\\'); i !== -1 && i < json.length; i = json.indexOf('\\', i)) {
    if (json.charCodeAt(i + 1) !== LOWER_U) {
      i += 2;
      continue;
    }
    const unit = hexUnit(json, i + 2);
    const pairs = isHigh(unit) && json.charCodeAt(i + 6) === BACKSLASH && json.charCodeAt(i + 7) === LOWER_U && isLow(hexUnit(json, i + 8));
    if (pairs) {
      i += 12;
    } else if (unit === 0 || isHigh(unit) || isLow(unit)) {
      out += json.slice(copied, i) + REPLACEMENT_ESCAPE;
      copied = i + 6;
      changed = true;
      i += 6;
    } else {
      i += 6;
    }
  }
  const escaped = changed ? out + json.slice(copied) : json;
  if (isStorableText(escaped)) return changed ? escaped : undefined;
  return toStorableText(escaped);
}

/** The code unit of the four hex digits at `at`, or -1 when they are not four hex digits. */
function hexUnit(text: string, at: number): number {
  const digits = text.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? Number.parseInt(digits, 16) : -1;
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
