import { createHash } from 'node:crypto';
import type { AppCredentials } from '@wxcs/wechat';
import { sampleMessage, simulateCallback, type SampleName } from '@wxcs/wechat/testing';

type SimulatedCallback = ReturnType<typeof simulateCallback>;

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

/** One request to the receiver; `search` is sent exactly as given (already encoded). */
export async function send(base: string, p: { method?: string; path?: string; search?: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<Answer> {
  const response = await fetch(`${base}${p.path ?? '/wechat/default'}${p.search ? `?${p.search}` : ''}`, {
    method: p.method ?? 'POST',
    headers: p.headers,
    body: p.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

export const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export function sha1Sorted(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** A genuine safe-mode callback, as WeChat would send it now. */
export function genuine(app: AppCredentials, message: SampleName = 'text', timestamp = String(Math.floor(Date.now() / 1000))): SimulatedCallback {
  return simulateCallback({ app, message: sampleMessage(message), format: 'json', mode: 'safe', timestamp, nonce: String(Date.now() % 1e9) });
}
