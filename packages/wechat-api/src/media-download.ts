import { WechatApiError } from './errors.js';
import { ERROR_BODY_LIMIT, parseErrorBody, readJsonAnswer, type StreamedAnswer } from './http.js';
import type { MediaDownload } from './types.js';

export const MEDIA_GET_PATH = '/cgi-bin/media/get';

// Enough to see past leading whitespace to an error answer's "{", and an image's magic number.
const HEAD_BYTES = 16;

const FILENAME_PATTERN = /filename="?([^";]{1,255})"?/;

const isWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function startsLikeJson(head: Uint8Array): boolean {
  let start = 0;
  while (start < head.length && isWhitespace(head[start])) start += 1;
  return head[start] === 0x7b;
}

/**
 * media/get's answer, decided by its content: WeChat answers an unknown or
 * expired media id with a JSON error and HTTP 200. The first bytes are read
 * to tell; an answer that starts like JSON is read (up to the size of an
 * error answer) and thrown as WeChat's error. Anything else is the file,
 * handed on as it arrives, its first bytes included.
 */
export async function readMediaAnswer(answer: StreamedAnswer): Promise<MediaDownload> {
  const iterator = answer.body[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let bufferedBytes = 0;
  let ended = false;
  const readMore = async (): Promise<void> => {
    const next = await iterator.next();
    if (next.done) ended = true;
    else {
      buffered.push(next.value);
      bufferedBytes += next.value.length;
    }
  };
  while (!ended && bufferedBytes < HEAD_BYTES) await readMore();
  if (startsLikeJson(Buffer.concat(buffered))) {
    while (!ended && bufferedBytes <= ERROR_BODY_LIMIT) await readMore();
    const bytes = Buffer.concat(buffered);
    if (parseErrorBody(bytes)) {
      readJsonAnswer(MEDIA_GET_PATH, { ...answer, bytes });
      throw new WechatApiError({ kind: 'permanent', path: MEDIA_GET_PATH, errmsg: 'answer is a JSON body, not a file' });
    }
  }
  async function* body(): AsyncGenerator<Uint8Array> {
    yield* buffered;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const filename = answer.contentDisposition ? FILENAME_PATTERN.exec(answer.contentDisposition)?.[1] : undefined;
  return { contentType: answer.contentType, contentLength: answer.contentLength, filename, body: body() };
}
