import { randomBytes } from 'node:crypto';
import { refuse } from './wechat-answer.js';

const MEDIA_LIFETIME_MS = 3 * 86_400_000;
// WeChat's temporary-media page gives 10 MB for images (another page says 2 MB; see the wechat-api README).
const IMAGE_LIMIT_BYTES = 10 * 1024 * 1024;
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif']);

export interface SentMessage {
  readonly touser: string;
  readonly msgtype: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  readonly accessToken: string;
}

export interface StoredMedia {
  readonly appId: string;
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly filename: string;
  readonly createdAt: number;
}

// Required string fields per msgtype, as in customerServiceMessage.send.
const REQUIRED_FIELDS: Record<string, readonly string[]> = {
  text: ['content'],
  image: ['media_id'],
  link: ['title', 'description', 'url', 'thumb_url'],
  miniprogrampage: ['title', 'pagepath', 'thumb_media_id'],
};
const MEDIA_FIELDS: Record<string, string> = { image: 'media_id', miniprogrampage: 'thumb_media_id' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The media store and the body rules of a customer-service message. */
export function createFakeMedia(clock: () => number) {
  const media = new Map<string, StoredMedia>();

  function find(appId: string, mediaId: string): StoredMedia | undefined {
    const found = media.get(mediaId);
    if (!found || found.appId !== appId || clock() - found.createdAt * 1000 > MEDIA_LIFETIME_MS) return undefined;
    return found;
  }

  /** Keeps a file for 3 days of the fake's clock under a new media id, as WeChat does. */
  function keep(appId: string, file: Omit<StoredMedia, 'appId' | 'createdAt'>): StoredMedia & { mediaId: string } {
    const mediaId = randomBytes(32).toString('base64url');
    const stored = { ...file, appId, createdAt: Math.floor(clock() / 1000) };
    media.set(mediaId, stored);
    return { ...stored, mediaId };
  }

  return {
    upload(appId: string, type: string | null, file: File | null, bytes: Buffer): { type: string; media_id: string; created_at: number } {
      if (!file) refuse(41005, 'media data missing');
      if (type !== 'image' || !IMAGE_TYPES.has(file.type)) refuse(40004, 'invalid media type');
      if (bytes.length === 0 || bytes.length > IMAGE_LIMIT_BYTES) refuse(40009, 'invalid image size');
      const kept = keep(appId, { bytes, contentType: file.type, filename: file.name });
      return { type: 'image', media_id: kept.mediaId, created_at: kept.createdAt };
    },

    /** A file a user sent (an image message's MediaId). */
    addUserMedia(appId: string, file: { bytes: Buffer; contentType: string; filename?: string }): string {
      return keep(appId, { bytes: file.bytes, contentType: file.contentType, filename: file.filename ?? 'photo.jpg' }).mediaId;
    },

    get(appId: string, mediaId: string | null): StoredMedia {
      const found = mediaId ? find(appId, mediaId) : undefined;
      return found ?? refuse(40007, 'invalid media_id');
    },

    /** Checks a send body the way WeChat does and returns the openid it goes to. */
    validateMessage(appId: string, body: unknown): { touser: string; msgtype: string } {
      if (!isRecord(body)) return refuse(47001, 'data format error');
      const { touser, msgtype } = body;
      if (typeof touser !== 'string' || touser === '') refuse(40003, 'invalid openid');
      if (typeof msgtype !== 'string' || !(msgtype in REQUIRED_FIELDS)) return refuse(40008, 'invalid message type');
      const content = body[msgtype];
      if (!isRecord(content)) return refuse(47001, 'data format error');
      for (const field of REQUIRED_FIELDS[msgtype] ?? []) {
        if (typeof content[field] !== 'string' || content[field] === '') {
          if (msgtype === 'text') refuse(44004, 'empty content');
          refuse(47001, `data format error: ${msgtype}.${field} missing`);
        }
      }
      const mediaField = MEDIA_FIELDS[msgtype];
      if (mediaField && !find(appId, content[mediaField] as string)) refuse(40007, 'invalid media_id');
      return { touser, msgtype };
    },
  };
}
