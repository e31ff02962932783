import { MEDIA_ID_PATTERN } from '@wxcs/wechat';
import { z } from 'zod';

/**
 * A callback exactly as the receiver accepted it. The worker re-derives
 * everything from these fields, so nothing the receiver decided is trusted
 * beyond the signature check it already did.
 */
export const inboundCallbackSchema = z.object({
  v: z.literal(1),
  /** Receiver-assigned id; also the inbound job id, so unpacking a batch twice makes one job per callback. */
  callbackId: z.string().min(1).max(128),
  /** Name of the configured mini program (`WechatAppConfig.name`). */
  app: z.string().min(1),
  /** ISO-8601 time the receiver got the request. */
  receivedAt: z.iso.datetime(),
  /** The request body, byte for byte (WeChat sends UTF-8). */
  body: z.string(),
  contentType: z.string().nullable(),
  /** Query parameters as sent: signature, timestamp, nonce, openid, encrypt_type, msg_signature. */
  query: z.record(z.string(), z.string()),
});
export type InboundCallback = z.infer<typeof inboundCallbackSchema>;

/**
 * The callbacks one receiver took in one event-loop turn, as one job: a job
 * per callback cost the receiver a third of its CPU. The worker unpacks it
 * into one inbound job per callback.
 */
export const callbackBatchSchema = z.object({
  v: z.literal(1),
  callbacks: z.array(inboundCallbackSchema).min(1),
});
export type CallbackBatch = z.infer<typeof callbackBatchSchema>;

/**
 * A reply the support API stored as queued in customer_reply. The row is
 * the truth (body, recipient, status); the job only says which row to send.
 */
export const outboundReplySchema = z.object({
  v: z.literal(1),
  /** customer_reply.id, a bigint as text. */
  replyId: z.string().regex(/^[1-9][0-9]{0,18}$/),
  /** Name of the configured mini program whose AppID and AppSecret send it. */
  app: z.string().min(1),
});
export type OutboundReply = z.infer<typeof outboundReplySchema>;

/**
 * An image a user sent, to archive. The archive row (media_archive) is the
 * truth; the job only says which one to fetch from WeChat.
 */
export const mediaArchiveJobSchema = z.object({
  v: z.literal(1),
  /** Name of the configured mini program whose AppID and AppSecret fetch it. */
  app: z.string().min(1),
  /** WeChat's media id (media_archive.media_id). */
  mediaId: z.string().regex(MEDIA_ID_PATTERN),
});
export type MediaArchiveJob = z.infer<typeof mediaArchiveJobSchema>;
