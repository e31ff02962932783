import type { WechatAppConfig } from '@wxcs/config';
import { SAMPLE_APP } from '@wxcs/wechat/testing';

/** The fixtures' mini program as configured apps: `default` answers success, `shop` transfers. */
export const TEST_APPS: WechatAppConfig[] = [
  { name: 'default', ...SAMPLE_APP, transferToCustomerService: false, messageEncryption: 'plaintext' },
  { name: 'shop', ...SAMPLE_APP, transferToCustomerService: true, messageEncryption: 'plaintext' },
];

export interface SentRequest {
  readonly status: number;
  readonly text: string;
  readonly contentType: string | null;
}

export async function postCallback(
  baseUrl: string,
  path: string,
  callback: { body: string | Uint8Array; query: Record<string, string>; contentType?: string | null },
): Promise<SentRequest> {
  const headers: Record<string, string> = {};
  if (callback.contentType) headers['content-type'] = callback.contentType;
  const response = await fetch(`${baseUrl}${path}?${new URLSearchParams(callback.query).toString()}`, {
    method: 'POST',
    headers,
    body: callback.body,
  });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

export async function getPath(baseUrl: string, path: string, query: Record<string, string> = {}): Promise<SentRequest> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${baseUrl}${path}${search ? `?${search}` : ''}`);
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}
