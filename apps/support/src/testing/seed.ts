import { insertMessages, reserveReply, type CustomerReply, type PrismaClient } from '@wxcs/db';

/**
 * Conversations as the worker stores them: customer_message rows through
 * insertMessages, which also applies each user action to the
 * conversation's reply window (conversation_window), as the worker does.
 * Every seeding of the support API's tests goes through this file.
 */
let sequence = 0;

export interface SeededMessage {
  readonly appId: string;
  readonly openid: string;
  /** WeChat's CreateTime (the window runs on it) and our receive time. */
  readonly at: Date;
}

/** One customer_message row as the worker stores it, for insertMessages. */
export function messageRow(input: SeededMessage, msgType: string, msgInfo: Record<string, string>, payload: Record<string, unknown>) {
  sequence += 1;
  return {
    appId: input.appId,
    signature: 'sig',
    timestamp: String(Math.floor(input.at.getTime() / 1000)),
    nonce: `n${sequence}`,
    openid: input.openid,
    encryptType: 'aes',
    msgSignature: 'msig',
    toUsername: 'gh_support_test',
    fromUsername: input.openid,
    msgType,
    msgInfo,
    msgId: msgType === 'event' ? null : String(7_000_000_000_000_000_000n + BigInt(sequence)),
    encrypt: null,
    dedupKey: `seed-${sequence}-${input.at.getTime()}`,
    msgCreateTime: input.at,
    payloadJson: JSON.stringify({ ...payload, FromUserName: input.openid, MsgType: msgType }),
    dataFormat: 'json' as const,
    receivedAt: input.at,
  };
}

/** A text from the user: opens 5 replies for 48 hours. */
export async function seedUserText(prisma: PrismaClient, input: SeededMessage & { readonly text: string }): Promise<void> {
  await insertMessages(prisma, [messageRow(input, 'text', { text: input.text }, { Content: input.text })]);
}

/** An image from the user. */
export async function seedUserImage(prisma: PrismaClient, input: SeededMessage & { readonly mediaId: string }): Promise<void> {
  const info = { pic: 'https://mmbiz.qpic.cn/seeded', media_id: input.mediaId };
  await insertMessages(prisma, [messageRow(input, 'image', info, { PicUrl: info.pic, MediaId: input.mediaId })]);
}

/** The user entering the session (`user_enter_tempsession`): opens 2 replies for one minute. */
export async function seedSessionEntry(prisma: PrismaClient, input: SeededMessage): Promise<void> {
  const info = { event: 'user_enter_tempsession', session_from: 'seed' };
  await insertMessages(prisma, [messageRow(input, 'event', info, { Event: info.event, SessionFrom: 'seed' })]);
}

/**
 * A text reply made at `at` by `sentBy`, as the API stores one (reserveReply,
 * spending the window); for tests that need a reply at an exact instant.
 */
export async function seedReply(prisma: PrismaClient, input: SeededMessage & { readonly text: string; readonly sentBy?: string }): Promise<CustomerReply> {
  const result = await reserveReply(prisma, {
    appId: input.appId,
    openid: input.openid,
    msgType: 'text',
    body: { msgtype: 'text', text: { content: input.text } },
    sentBy: input.sentBy ?? 'seed',
    now: input.at,
  });
  if (result.outcome === 'refused') throw new Error(`seedReply refused: ${result.reason}`);
  return result.reply;
}

/** `ms` milliseconds before now, at millisecond precision as PostgreSQL keeps it. */
export const ago = (ms: number): Date => new Date(Date.now() - ms);
