import { PayloadError } from './errors.js';

export type DataFormat = 'json' | 'xml';

/**
 * The console's data format, read from the body itself: JSON pushes have been
 * delivered as `text/xml`, so Content-Type is never consulted.
 */
export function detectFormat(body: string): DataFormat {
  // \s also covers a leading byte-order mark.
  const first = /\S/.exec(body)?.[0];
  if (first === '{') return 'json';
  if (first === '<') return 'xml';
  throw new PayloadError('unknown_format', 'body is neither a JSON object nor an XML document');
}
