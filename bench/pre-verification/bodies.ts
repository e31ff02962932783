import { SAMPLE_APP, filledBody, sampleCredentials, sampleMessage, simulateCallback, HOSTILE_BODY_FAMILIES } from '@wxcs/wechat/testing';
import type { DataFormat, MessageEncryption } from '@wxcs/wechat';

/** A body family: `build(size)` gives a body of about `size` characters and the query it arrives with. */
export interface BodyFamily {
  readonly name: string;
  readonly build: (size: number) => { body: string; query: Record<string, string> };
}

const app = sampleCredentials();
const TIMESTAMP = '1714112445';

/**
 * A genuine callback whose text message makes the body about `size`
 * characters: in compatible mode the content is there twice (as text and
 * inside Encrypt), in safe mode only inside Encrypt.
 */
function genuine(format: DataFormat, mode: MessageEncryption): BodyFamily {
  const sized = (content: string) =>
    simulateCallback({ app, message: { ...sampleMessage('text'), Content: content }, format, mode, timestamp: TIMESTAMP });
  return {
    name: `genuine ${mode} ${format}`,
    build: (size) => {
      const overhead = sized('').body.length;
      // Base64 makes 3 bytes 4 characters; compatible mode adds the plain copy.
      const perCharacter = mode === 'compatible' ? 1 + 4 / 3 : 4 / 3;
      return sized('x'.repeat(Math.max(0, Math.floor((size - overhead) / perCharacter))));
    },
  };
}

// A genuine callback's query: the signature is valid, so everything up to msg_signature runs on the body.
const capturedQuery = simulateCallback({ app, message: 'text', format: 'json', mode: 'safe', timestamp: TIMESTAMP }).query;

export const GENUINE_FAMILIES: readonly BodyFamily[] = [
  genuine('json', 'safe'),
  genuine('xml', 'safe'),
  genuine('json', 'compatible'),
  genuine('xml', 'compatible'),
];

export const HOSTILE_FAMILIES: readonly BodyFamily[] = HOSTILE_BODY_FAMILIES.map((family) => ({
  name: family.name,
  build: (size) => ({ body: family.build(size), query: capturedQuery }),
}));

/** Request targets as they reach the callback handler (Node caps a request head at 16 KiB). */
export const TARGET_FAMILIES: readonly { readonly name: string; readonly build: (size: number) => string }[] = [
  { name: 'genuine query with a long parameter', build: (size) => filledBody(size, `/wechat/default?${new URLSearchParams(capturedQuery).toString()}&pad=`, 'x') },
  { name: 'thousands of parameters', build: (size) => filledBody(size, '/wechat/default?', 'a=1&') },
  { name: 'a long run of &', build: (size) => filledBody(size, '/wechat/default?', '&') },
  { name: 'broken percent-encoding', build: (size) => filledBody(size, '/wechat/default?a=', '%') },
  { name: 'a long app name, then !', build: (size) => filledBody(size, '/wechat/', 'a', '!') },
  { name: 'a long query, then #', build: (size) => filledBody(size, '/wechat/default?', 'a', '#') },
];

export const BENCH_TOKEN = SAMPLE_APP.token;
