/** Where a reply is: waiting for the worker, accepted by WeChat, or refused for good. */
export type ReplyStatus = 'queued' | 'sent' | 'failed';

/** The message in WeChat's own shape, without `touser`: `{"msgtype":"text","text":{"content":"…"}}`. */
export type ReplyBody = Readonly<Record<string, unknown>>;

/** A row of customer_reply. */
export interface CustomerReply {
  /** BIGSERIAL primary key, as text. */
  readonly id: string;
  readonly appId: string;
  readonly openid: string;
  /** The caller's key, unique per app; a repeat returns this reply. */
  readonly idempotencyKey: string | null;
  /** WeChat's msgtype: text, image, link or miniprogrampage. */
  readonly msgType: string;
  readonly body: ReplyBody;
  /** The name of the integration that sent it. */
  readonly sentBy: string;
  readonly status: ReplyStatus;
  /** WeChat's answer to the send, when there was one. */
  readonly errcode: number | null;
  readonly errmsg: string | null;
  readonly rid: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
  readonly failedAt: Date | null;
  /**
   * The send claim: set by the worker just before it calls WeChat, cleared
   * when WeChat answered that it did not take the message. Set while the
   * reply is still queued, a send is under way or its outcome is unknown.
   */
  readonly sendingSince: Date | null;
}

/** What a caller gives to store a reply; the rest is the database's or the send's. */
export type NewCustomerReply = Pick<CustomerReply, 'appId' | 'openid' | 'idempotencyKey' | 'msgType' | 'body' | 'sentBy' | 'createdAt'>;
