/** What a one-pass scan of JSON text outside its strings found. */
export interface JsonShape {
  /** The deepest object/array nesting. */
  readonly depth: number;
  /** Object members written: in valid JSON every `:` outside strings separates one key from its value. */
  readonly members: number;
  /** The source text of every number, in document order. */
  readonly numbers: readonly string[];
  /** The text ends inside a string; everything above describes what came before it. */
  readonly unterminatedString: boolean;
}

/**
 * Scans JSON text without parsing it. The result describes valid JSON exactly and anything else approximately,
 * so callers use it only next to a parser that validates.
 */
export function scanJson(text: string): JsonShape {
  let depth = 0;
  let deepest = 0;
  let members = 0;
  const numbers: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (i < 0) return { depth: deepest, members, numbers, unterminatedString: true };
    } else if (char === 0x3a /* : */) {
      members += 1;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth -= 1;
    } else if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39) /* 0-9 */) {
      const end = numberEnd(text, i + 1);
      numbers.push(text.slice(i, end));
      i = end - 1;
    }
  }
  return { depth: deepest, members, numbers, unterminatedString: false };
}

/** Index of the quote that ends the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/** End of a number literal: digits, sign, point and exponent characters. */
function numberEnd(text: string, from: number): number {
  let i = from;
  for (; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    const partOfNumber =
      (char >= 0x30 && char <= 0x39) || char === 0x2e /* . */ || char === 0x65 /* e */ || char === 0x45 /* E */ || char === 0x2b /* + */ || char === 0x2d; /* - */
    if (!partOfNumber) break;
  }
  return i;
}
