/** A mini program as WeChat's server API knows it. `name` is ours (the `app` in our URLs and logs). */
export interface WechatApp {
  readonly name: string;
  readonly appId: string;
  readonly appSecret: string;
}

/** A customer-service message in WeChat's own shape (customerServiceMessage.send). */
export type OutboundMessage =
  | { readonly touser: string; readonly msgtype: 'text'; readonly text: { readonly content: string } }
  | { readonly touser: string; readonly msgtype: 'image'; readonly image: { readonly media_id: string } }
  | {
      readonly touser: string;
      readonly msgtype: 'link';
      readonly link: { readonly title: string; readonly description: string; readonly url: string; readonly thumb_url: string };
    }
  | {
      readonly touser: string;
      readonly msgtype: 'miniprogrampage';
      readonly miniprogrampage: { readonly title: string; readonly pagepath: string; readonly thumb_media_id: string };
    };

export interface UploadedMedia {
  readonly mediaId: string;
  /** Unix seconds, WeChat's `created_at`; temporary media lasts 3 days from it. */
  readonly createdAt: number;
}

/** A file WeChat is sending: its declared type and length, and its bytes as they arrive. */
export interface MediaDownload {
  /** As WeChat declares it; the bytes decide what the file is. */
  readonly contentType: string;
  readonly contentLength: number | undefined;
  readonly filename: string | undefined;
  readonly body: AsyncIterable<Uint8Array>;
}
