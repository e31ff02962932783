/** The inbox's two languages: Chinese for the teams that use it, English for everyone else. */
export type Lang = 'zh' | 'en';

const en = {
  title: 'Support inbox',
  signInTitle: 'Sign in to the support inbox',
  name: 'Name',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signInRefused: 'Wrong name or password.',
  accountLocked: 'Too many wrong passwords: try again in {s} s.',
  signInFailed: 'Sign-in failed: {error}',
  miniProgram: 'Mini program',
  all: 'All',
  unanswered: 'Unanswered',
  closing: 'Closing within 1 h',
  searchOpenid: 'Search by openid',
  loadMore: 'Load more',
  noConversations: 'No conversations.',
  pickConversation: 'Pick a conversation.',
  loadOlder: 'Load older messages',
  unansweredCount: '{n} unanswered',
  windowOpen: '{time} left · {n} replies left',
  windowClosed: 'Window closed',
  noWindow: 'No window',
  replyPlaceholder: 'Type a reply…',
  send: 'Send',
  sendImage: 'Send image',
  uploading: 'Uploading…',
  reasonInboundOnly: 'This mini program has no AppSecret configured: it only receives.',
  reasonNoWindow: 'The user has not written yet: WeChat allows replies only after a message from the user.',
  reasonClosed: 'The reply window is closed: WeChat allows replies for 48 hours after the user’s last message (1 minute after entering the session).',
  reasonSpent: 'No replies left: WeChat allows 5 replies per user message (2 after entering the session).',
  status_queued: 'queued',
  status_sent: 'sent',
  status_failed: 'failed',
  errcode: 'WeChat error {code}',
  sentBy: 'by {who}',
  image: 'Image',
  imagePending: 'Image not archived yet',
  imageFailed: 'Image could not be archived: {reason}',
  imageUnknown: 'Image (no archive)',
  miniProgramCard: 'Mini program card',
  event: 'Event',
  sessionEntry: 'The user entered the session',
  sessionEntryFrom: 'The user entered the session (from {from})',
  live: 'live',
  offline: 'reconnecting…',
  refusedBy: 'Refused: {reason}',
  language: '中文',
  error: 'Something went wrong: {error}',
};

const zh: typeof en = {
  title: '客服收件箱',
  signInTitle: '登录客服收件箱',
  name: '用户名',
  password: '密码',
  signIn: '登录',
  signOut: '退出',
  signInRefused: '用户名或密码错误。',
  accountLocked: '密码错误次数过多，请 {s} 秒后再试。',
  signInFailed: '登录失败：{error}',
  miniProgram: '小程序',
  all: '全部',
  unanswered: '未回复',
  closing: '1 小时内关闭',
  searchOpenid: '按 openid 搜索',
  loadMore: '加载更多',
  noConversations: '没有会话。',
  pickConversation: '请选择一个会话。',
  loadOlder: '加载更早的消息',
  unansweredCount: '{n} 条未回复',
  windowOpen: '剩余 {time} · 还可回复 {n} 条',
  windowClosed: '回复窗口已关闭',
  noWindow: '无回复窗口',
  replyPlaceholder: '输入回复…',
  send: '发送',
  sendImage: '发送图片',
  uploading: '上传中…',
  reasonInboundOnly: '此小程序未配置 AppSecret：只能接收消息。',
  reasonNoWindow: '用户尚未发送消息：微信只允许在用户发消息后回复。',
  reasonClosed: '回复窗口已关闭：微信只允许在用户最后一条消息后 48 小时内回复（进入会话后 1 分钟内）。',
  reasonSpent: '回复次数已用完：每条用户消息最多回复 5 条（进入会话后 2 条）。',
  status_queued: '排队中',
  status_sent: '已发送',
  status_failed: '发送失败',
  errcode: '微信错误码 {code}',
  sentBy: '发送人 {who}',
  image: '图片',
  imagePending: '图片尚未存档',
  imageFailed: '图片无法存档：{reason}',
  imageUnknown: '图片（未存档）',
  miniProgramCard: '小程序卡片',
  event: '事件',
  sessionEntry: '用户进入会话',
  sessionEntryFrom: '用户进入会话（来源 {from}）',
  live: '实时',
  offline: '重新连接中…',
  refusedBy: '被拒绝：{reason}',
  language: 'English',
  error: '出错了：{error}',
};

export type MessageKey = keyof typeof en;
const STORAGE_KEY = 'wxcs-inbox-lang';

/** The chosen language, else the browser's first: Chinese for any zh-*, English otherwise. */
export function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'zh' || stored === 'en') return stored;
  return (navigator.languages[0] ?? navigator.language).toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = lang === 'zh' ? zh : en;
  return (key, values = {}) => table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A duration as people say it: "3 h 12 min", "45 min", "30 s". */
export function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.floor(ms / 60_000);
  const [h, m, s] = lang === 'zh' ? ['小时', '分钟', '秒'] : [' h', ' min', ' s'];
  if (minutes >= 60) return `${Math.floor(minutes / 60)}${h} ${minutes % 60}${m}`;
  if (minutes >= 1) return `${minutes}${m}`;
  return `${Math.max(0, Math.floor(ms / 1000))}${s}`;
}

/** A time in the viewer's own time zone and language. */
export function formatTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}
