import type { WechatFields } from '@wxcs/wechat';
import { sampleMessage, type SampleName } from '@wxcs/wechat/testing';

export interface DemoApp {
  readonly token: string;
  readonly encodingAesKey: string;
  readonly appId: string;
}

export interface DemoMessage {
  readonly label: string;
  readonly format: 'json' | 'xml';
  readonly fields: WechatFields;
  /** The user who sent it (FromUserName). */
  readonly openid: string;
}

const SAMPLES: readonly SampleName[] = ['text', 'event', 'image', 'miniprogrampage'];

/**
 * The original design's three samples plus a mini-program card, once as JSON
 * and once as XML. Ids and times come from the run's start so every run
 * stores its own rows and a re-run does not look like a duplicate;
 * `mediaFor` names the image and the card's thumbnail WeChat serves.
 */
export function demoMessages(runStartedAt: Date, mediaFor: (format: 'json' | 'xml', name: SampleName) => string | undefined = () => undefined): DemoMessage[] {
  const createTime = Math.floor(runStartedAt.getTime() / 1000);
  // 2^62 + ms keeps MsgIds beyond 2^53, as real ones are.
  const idBase = 4_611_686_018_427_387_904n + BigInt(runStartedAt.getTime()) * 100n;
  return (['json', 'xml'] as const).flatMap((format, formatIndex) =>
    SAMPLES.map((name, sampleIndex) => {
      const fields = sampleMessage(name);
      const offset = formatIndex * SAMPLES.length + sampleIndex;
      fields.CreateTime = String(createTime + offset);
      const openid = `oDemoUser${format.toUpperCase()}${String(createTime)}`;
      fields.FromUserName = openid;
      if ('MsgId' in fields) fields.MsgId = String(idBase + BigInt(offset));
      // The images WeChat's fake serves, so the worker archives them; else the samples' own ids.
      const mediaId = mediaFor(format, name);
      if (mediaId !== undefined && name === 'image') fields.MediaId = mediaId;
      if (mediaId !== undefined && name === 'miniprogrampage') fields.ThumbMediaId = mediaId;
      return { label: `${name} (${format}, safe mode)`, format, fields, openid };
    }),
  );
}
