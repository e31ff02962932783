import { createHash } from 'node:crypto';

export interface DeliveryFacts {
  readonly app: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One id per delivery WeChat signed, used as the callback id and so as the
 * BullMQ job id. `msg_signature` covers the Encrypt value, so two requests
 * with the same app, timestamp, nonce and msg_signature carry the same
 * message whatever else their bodies hold. A plaintext `signature` covers no
 * body, so there the body itself is part of the key.
 */
export function deliveryKey({ app, query, body }: DeliveryFacts): string {
  const hash = createHash('sha256');
  const signed = query.msg_signature;
  for (const part of [app, query.timestamp ?? '', query.nonce ?? '', signed ?? query.signature ?? '']) {
    hash.update(part).update('\0');
  }
  if (signed === undefined) hash.update(body);
  return `d1-${hash.digest('base64url')}`;
}
