/**
 * The media ids we ask WeChat's media/get for: URL-safe base64-like text,
 * as WeChat issues them. Anything else would go into WeChat's query string
 * and our job ids, so it is never asked for. At most 255 characters:
 * PostgreSQL's `~` allows no longer repetition count, and the same pattern
 * runs there.
 */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

export const isMediaId = (mediaId: string): boolean => MEDIA_ID_PATTERN.test(mediaId);
