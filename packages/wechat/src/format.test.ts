import { describe, expect, it } from 'vitest';
import { PayloadError } from './errors.js';
import { detectFormat } from './format.js';

describe('detectFormat', () => {
  it.each([
    ['{"a":1}', 'json'],
    ['  \r\n\t{"a":1}', 'json'],
    ['\uFEFF{"a":1}', 'json'],
    ['<xml></xml>', 'xml'],
    ['\n  <?xml version="1.0"?><xml/>', 'xml'],
    ['\uFEFF<xml/>', 'xml'],
  ] as const)('sniffs %j as %s', (body, format) => {
    expect(detectFormat(body)).toBe(format);
  });

  it.each(['', '   ', '[]', '"text"', '42', 'success', 'null', 'encrypt=abc'])(
    'rejects %j with PayloadError unknown_format',
    (body) => {
      expect(() => detectFormat(body)).toThrow(
        expect.objectContaining({ name: 'PayloadError', code: 'unknown_format' }),
      );
      expect(() => detectFormat(body)).toThrow(PayloadError);
    },
  );
});
