// Fixture data shaped like real Mini Program customer-service pushes.
// Test-only: not part of the package's runtime surface.
import type { WechatFields } from '../fields.js';
import type { AppCredentials } from '../open-callback.js';

export const SAMPLE_APP = {
  token: 'wxcsToken2024',
  encodingAesKey: 'q7Kd2LmP9vXz4RtY8bNw3HcE6sJf1GhU5aZk0oViTpW',
  appId: 'wx8d3c1f0a9b2e4d67',
} as const;

/** Mini Program original id (ToUserName of every push). */
export const SAMPLE_TO_USER_NAME = 'gh_8f2d3c4b5a6e';
/** A user's openid (FromUserName). */
export const SAMPLE_OPENID = 'oG7Xw5KpT2rLm9QzA1bC3dE4fH6j';
export const SAMPLE_CREATE_TIME = '1714112445';

/** Credentials for SAMPLE_APP, decoded here independently of parseEncodingAesKey. */
export function sampleCredentials(): AppCredentials {
  return {
    token: SAMPLE_APP.token,
    aesKey: Buffer.from(`${SAMPLE_APP.encodingAesKey}=`, 'base64'),
    appId: SAMPLE_APP.appId,
  };
}

export type SampleName = 'text' | 'event' | 'image' | 'miniprogrampage';
export const SAMPLE_NAMES: readonly SampleName[] = ['text', 'event', 'image', 'miniprogrampage'];

const COMMON = {
  ToUserName: SAMPLE_TO_USER_NAME,
  FromUserName: SAMPLE_OPENID,
  CreateTime: SAMPLE_CREATE_TIME,
};

// MsgIds above 2^53: JSON.parse would turn ...849 and ...848 into ...850.
const SAMPLES: Readonly<Record<SampleName, WechatFields>> = {
  text: { ...COMMON, MsgType: 'text', Content: 'hello', MsgId: '22223624286040849' },
  event: {
    ...COMMON,
    MsgType: 'event',
    Event: 'user_enter_tempsession',
    SessionFrom: "open-type='contact'",
  },
  image: {
    ...COMMON,
    MsgType: 'image',
    PicUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/5Hq1Xb2aVwQ/0',
    MediaId: 'Tq3oP8Vd0nJ5kL2mX7rY9cB4wE1sA6fG_hZuI3jK',
    MsgId: '22223624286040848',
  },
  miniprogrampage: {
    ...COMMON,
    MsgType: 'miniprogrampage',
    MsgId: '22223624286040850',
    Title: '订单详情 Order #1024',
    AppId: SAMPLE_APP.appId,
    PagePath: 'pages/order/detail?id=1024&from=share',
    ThumbUrl: '',
    ThumbMediaId: '',
  },
};

/** A fresh copy of a sample message's fields (safe to mutate). */
export function sampleMessage(name: SampleName): WechatFields {
  return { ...SAMPLES[name] };
}
