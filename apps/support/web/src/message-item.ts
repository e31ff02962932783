import { h, type Child } from './dom.js';
import { formatTime, type Lang, type Translate } from './i18n.js';
import { field, type Archive, type Message } from './model.js';

export interface ItemContext {
  readonly app: string;
  readonly t: Translate;
  readonly lang: Lang;
}

const mediaUrl = (app: string, mediaId: string) => `/api/v1/apps/${encodeURIComponent(app)}/media/${encodeURIComponent(mediaId)}`;

/** An archived image from our own archive, or a placeholder saying why there is none. */
function archivedImage(ctx: ItemContext, mediaId: string | undefined, archive: Archive | null | undefined, alt: string): HTMLElement {
  if (mediaId !== undefined && archive?.status === 'archived') {
    return h('img', { class: 'media', src: mediaUrl(ctx.app, mediaId), alt, loading: 'lazy', decoding: 'async' });
  }
  const text =
    archive?.status === 'pending'
      ? ctx.t('imagePending')
      : archive?.status === 'failed'
        ? ctx.t('imageFailed', { reason: [archive.reason, archive.errcode === null ? undefined : ctx.t('errcode', { code: archive.errcode })].filter(Boolean).join(', ') || '?' })
        : ctx.t('imageUnknown');
  return h('div', { class: `media-placeholder ${archive?.status ?? 'none'}` }, text);
}

function inboundBody(message: Message, ctx: ItemContext): Child[] {
  const { content } = message;
  const { t } = ctx;
  switch (message.type) {
    case 'text':
      return [h('p', { class: 'text' }, field(content, 'text') ?? '')];
    case 'image':
      return [archivedImage(ctx, field(content, 'media_id'), message.archive, t('image'))];
    case 'miniprogrampage':
      return [
        h(
          'div',
          { class: 'card' },
          h('span', { class: 'card-kind' }, t('miniProgramCard')),
          h('strong', {}, field(content, 'title') ?? ''),
          h('code', {}, field(content, 'page_path') ?? field(content, 'pagepath') ?? ''),
          archivedImage(ctx, field(content, 'thumb_media_id'), message.archive, t('miniProgramCard')),
        ),
      ];
    default:
      return [h('p', { class: 'text' }, `[${message.type}]`)];
  }
}

function outboundBody(message: Message, ctx: ItemContext): Child[] {
  const { content } = message;
  const { t } = ctx;
  switch (message.type) {
    case 'text':
      return [h('p', { class: 'text' }, field(content, 'content') ?? '')];
    case 'image':
      return [h('div', { class: 'media-placeholder sent-image' }, `${t('image')} · ${field(content, 'media_id') ?? ''}`)];
    case 'link':
      return [h('div', { class: 'card' }, h('strong', {}, field(content, 'title') ?? ''), h('span', {}, field(content, 'url') ?? ''))];
    case 'miniprogrampage':
      return [h('div', { class: 'card' }, h('span', { class: 'card-kind' }, t('miniProgramCard')), h('strong', {}, field(content, 'title') ?? ''), h('code', {}, field(content, 'pagepath') ?? ''))];
    default:
      return [h('p', { class: 'text' }, `[${message.type}]`)];
  }
}

/** The reply's status as it changes: queued, sent, or failed with WeChat's errcode. */
export function statusBadge(message: Pick<Message, 'status' | 'errcode' | 'errmsg'>, t: Translate): HTMLElement {
  const status = message.status ?? 'queued';
  const label = status === 'sent' || status === 'failed' || status === 'queued' ? t(`status_${status}`) : status;
  const code = message.errcode !== null && message.errcode !== undefined && message.errcode !== 0 ? ` · ${t('errcode', { code: message.errcode })}` : '';
  return h('span', { class: `status status-${status}`, 'data-status': status, title: message.errmsg ?? '' }, `${label}${code}`);
}

/** One message of a thread: a bubble for the user's and ours, a centred line for an event. */
export function renderMessage(message: Message, ctx: ItemContext): HTMLElement {
  const time = h('time', { datetime: message.time }, formatTime(message.time, ctx.lang));
  if (message.type === 'event') {
    const event = field(message.content, 'event');
    const from = field(message.content, 'session_from');
    const text = event === 'user_enter_tempsession' ? (from ? ctx.t('sessionEntryFrom', { from }) : ctx.t('sessionEntry')) : `${ctx.t('event')}: ${event ?? ''}`;
    return h('li', { class: 'event', 'data-key': `${message.direction}:${message.id}` }, h('span', {}, text), time);
  }
  if (message.direction === 'inbound') {
    return h('li', { class: 'message inbound', 'data-key': `inbound:${message.id}`, 'data-type': message.type }, ...inboundBody(message, ctx), h('footer', {}, time));
  }
  return h(
    'li',
    { class: 'message outbound', 'data-key': `outbound:${message.id}`, 'data-type': message.type },
    ...outboundBody(message, ctx),
    h('footer', {}, time, message.sentBy ? h('span', { class: 'sent-by' }, ctx.t('sentBy', { who: message.sentBy })) : null, statusBadge(message, ctx.t)),
  );
}
