import { z } from 'zod';
import { ApiError } from '../http/api-error.js';

/**
 * Limits of a reply's fields, in UTF-8 bytes as WeChat counts them.
 *
 * - `text.content`: 2048. WeChat's page for customerServiceMessage.send states
 *   no limit; a WeChat community answer gives 2048, and longer texts are
 *   refused with 45002 "content size out of limit". Checked here so that a
 *   reply WeChat would refuse is refused before it spends the window.
 * - Every other field: WeChat documents no limit. These bounds are ours, far
 *   above any sensible card, so that one reply row stays small.
 */
export const REPLY_LIMITS = {
  textContent: 2048,
  title: 512,
  description: 2048,
  url: 2048,
  pagepath: 1024,
  mediaId: 256,
} as const;

const bytes = (value: string) => Buffer.byteLength(value, 'utf8');

/** zod's type error, worded for a client: a field left out is "required", one of the wrong type says what it must be. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
const string = () => z.string({ error: typeError('a string') });
const object = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject(shape, { error: typeError('an object') });

function text(maxBytes: number) {
  return string()
    .refine((value) => value.trim() !== '', { message: 'must not be empty' })
    .refine((value) => bytes(value) <= maxBytes, { message: `must be at most ${maxBytes} bytes (UTF-8)` });
}

const httpUrl = string()
  .refine((value) => bytes(value) <= REPLY_LIMITS.url, { message: `must be at most ${REPLY_LIMITS.url} bytes` })
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), { message: 'must be an http(s) URL' });

// WeChat's media ids are URL-safe printable text; nothing here needs more.
const mediaId = string().regex(/^[\x21-\x7e]+$/, { message: 'must be a media_id from /media' }).max(REPLY_LIMITS.mediaId, {
  message: `must be at most ${REPLY_LIMITS.mediaId} characters`,
});

/** A reply in WeChat's own shape, without `touser`: the path names the user. */
export const replyBodySchema = z.discriminatedUnion(
  'msgtype',
  [
    z.strictObject({ msgtype: z.literal('text'), text: object({ content: text(REPLY_LIMITS.textContent) }) }),
    z.strictObject({ msgtype: z.literal('image'), image: object({ media_id: mediaId }) }),
    z.strictObject({
      msgtype: z.literal('link'),
      link: object({
        title: text(REPLY_LIMITS.title),
        description: text(REPLY_LIMITS.description),
        url: httpUrl,
        thumb_url: httpUrl,
      }),
    }),
    z.strictObject({
      msgtype: z.literal('miniprogrampage'),
      miniprogrampage: object({
        title: text(REPLY_LIMITS.title),
        pagepath: text(REPLY_LIMITS.pagepath),
        thumb_media_id: mediaId,
      }),
    }),
  ],
  { error: 'must be one of text, image, link, miniprogrampage' },
);

export type ReplyBody = z.infer<typeof replyBodySchema>;

interface Problem {
  readonly field: string;
  readonly message: string;
}

function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...path, key].join('.'),
        message: key === 'touser' && path.length === 0 ? 'is not accepted: the path names the user' : 'is not a field of this message',
      }));
    }
    // A missing or unknown msgtype is reported at the top level; it is the msgtype that is wrong.
    return [{ field: path.length === 0 ? 'msgtype' : path.join('.'), message: issue.message }];
  });
}

/** The request body as a reply, or 400 `invalid_body` naming the first bad field (and listing all). */
export function parseReplyBody(body: unknown): ReplyBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', { field: '', message: 'must be a JSON object' });
  }
  const result = replyBodySchema.safeParse(body);
  if (result.success) return result.data;
  const problems = problemsOf(result.error);
  const first = problems[0] ?? { field: '', message: 'is not a reply' };
  throw new ApiError(400, 'invalid_body', { field: first.field, message: first.message, problems });
}
