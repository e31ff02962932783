/** How long a summary's text may be, in characters: a line of an inbox list. */
export const SUMMARY_LENGTH = 80;

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= SUMMARY_LENGTH ? line : `${chars.slice(0, SUMMARY_LENGTH - 1).join('')}…`;
}

const field = (record: Readonly<Record<string, unknown>> | null | undefined, key: string): string | undefined => {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** One line for an inbound message, from its msg_info summary. */
export function inboundSummary(msgType: string, info: Readonly<Record<string, unknown>> | null): string {
  switch (msgType) {
    case 'text':
      return shorten(field(info, 'text') ?? '');
    case 'image':
      return '[image]';
    case 'miniprogrampage':
      return shorten(`[mini program] ${field(info, 'title') ?? ''}`);
    case 'event':
      return `[event] ${field(info, 'event') ?? ''}`.trim();
    default:
      return `[${msgType}]`;
  }
}

/** One line for a reply, from its body in WeChat's shape. */
export function replySummary(msgType: string, body: Readonly<Record<string, unknown>> | null): string {
  const content = body?.[msgType];
  const part = typeof content === 'object' && content !== null ? (content as Record<string, unknown>) : undefined;
  switch (msgType) {
    case 'text':
      return shorten(field(part, 'content') ?? '');
    case 'image':
      return '[image]';
    case 'link':
      return shorten(`[link] ${field(part, 'title') ?? ''}`);
    case 'miniprogrampage':
      return shorten(`[mini program] ${field(part, 'title') ?? ''}`);
    default:
      return `[${msgType}]`;
  }
}
