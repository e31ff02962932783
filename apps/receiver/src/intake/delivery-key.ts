import { hash } from 'node:crypto';

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
 *
 * sha256 over the parts, each followed by a NUL, in one call. Replicas and
 * restarts must agree on it: it is what makes BullMQ ignore a second copy.
 */
export function deliveryKey({ app, query, body }: DeliveryFacts): string {
  const signed = query.msg_signature;
  const head = `${app}\0${query.timestamp ?? ''}\0${query.nonce ?? ''}\0${signed ?? query.signature ?? ''}\0`;
  return `d1-${hash('sha256', signed === undefined ? head + body : head, 'base64url')}`;
}
