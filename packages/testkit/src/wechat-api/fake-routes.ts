import type { SentMessage, createFakeMedia } from './fake-messages.js';
import type { FakeTokens } from './fake-tokens.js';
import type { createReplyWindows } from './reply-window.js';
import { refuse } from './wechat-answer.js';

export type Route = (request: { url: URL; body: Buffer; contentType: string }) => Promise<object | Media> | object | Media;
export interface Media {
  readonly media: { bytes: Buffer; contentType: string; filename: string };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) refuse(44002, 'empty post data');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(47001, 'data format error');
  }
}

export interface RouteDeps {
  readonly tokens: FakeTokens;
  readonly windows: ReturnType<typeof createReplyWindows>;
  readonly media: ReturnType<typeof createFakeMedia>;
  readonly sent: Map<string, SentMessage[]>;
  readonly clock: () => number;
}

/** WeChat's paths and what each does with the fake's state; a refusal is thrown with `refuse`. */
export function createRoutes({ tokens, windows, media, sent, clock }: RouteDeps): Record<string, Route> {
  const authorize = (url: URL) => tokens.authorize(url.searchParams.get('access_token'));
  const typing: Route = ({ url, body }) => {
    const appId = authorize(url);
    const payload = parseJson(body) as { touser?: unknown; command?: unknown };
    if (typeof payload.touser !== 'string' || payload.touser === '') refuse(40003, 'invalid openid');
    windows.setTyping(appId, payload.touser, payload.command);
    return { errcode: 0, errmsg: 'ok' };
  };
  return {
    '/cgi-bin/stable_token': ({ body }) => tokens.stableToken(parseJson(body) as Record<string, unknown>),
    '/cgi-bin/message/custom/send': ({ url, body }) => {
      const appId = authorize(url);
      const payload = parseJson(body);
      const { touser, msgtype } = media.validateMessage(appId, payload);
      windows.spendReply(appId, touser);
      const list = sent.get(appId) ?? [];
      list.push({ touser, msgtype, body: payload as Record<string, unknown>, at: clock(), accessToken: url.searchParams.get('access_token') as string });
      sent.set(appId, list);
      return { errcode: 0, errmsg: 'ok' };
    },
    '/cgi-bin/message/custom/business/typing': typing,
    '/cgi-bin/message/custom/typing': typing,
    '/cgi-bin/media/upload': async ({ url, body, contentType }) => {
      const appId = authorize(url);
      let file: File | null = null;
      try {
        const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
        const field = form.get('media');
        file = typeof field === 'string' ? null : field;
      } catch {
        refuse(41005, 'media data missing');
      }
      const bytes = file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
      return media.upload(appId, url.searchParams.get('type'), file, bytes);
    },
    '/cgi-bin/media/get': ({ url }) => ({ media: media.get(authorize(url), url.searchParams.get('media_id')) }),
  };
}
