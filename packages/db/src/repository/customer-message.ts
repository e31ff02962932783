/** One callback message ready to store, as the worker builds it. */
export interface NewCustomerMessage {
  readonly appId: string;
  /** Query parameters of the callback, as WeChat sent them. */
  readonly signature: string | null;
  readonly timestamp: string | null;
  readonly nonce: string | null;
  /** The sender (FromUserName); the query's openid is unsigned. */
  readonly openid: string | null;
  readonly encryptType: string | null;
  readonly msgSignature: string | null;
  readonly toUsername: string;
  readonly fromUsername: string;
  readonly msgType: string;
  readonly msgInfo: Readonly<Record<string, string>>;
  /** WeChat's 64-bit MsgId as text: it exceeds 2^53, so never a JS number. */
  readonly msgId: string | null;
  readonly encrypt: string | null;
  /** Unique per app; a second message with the same key is a duplicate. */
  readonly dedupKey: string;
  readonly msgCreateTime: Date;
  /** The decrypted message's JSON text, stored as jsonb without passing through JS numbers. */
  readonly payloadJson: string;
  readonly dataFormat: 'json' | 'xml';
  readonly receivedAt: Date;
}

export type InsertOutcome = 'inserted' | 'duplicate';
