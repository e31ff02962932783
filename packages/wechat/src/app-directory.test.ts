import { describe, expect, it } from 'vitest';
import { appCredentials, createAppDirectory, type ConfiguredApp } from './app-directory.js';

const app = (name: string, overrides: Partial<ConfiguredApp> = {}): ConfiguredApp => ({
  name,
  token: `token${name.replace(/\W/g, '')}`,
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx0123456789abcdef',
  messageEncryption: 'safe',
  transferToCustomerService: false,
  ...overrides,
});

describe('appCredentials', () => {
  it('decodes the 43-character EncodingAESKey into the 32-byte AES key', () => {
    const credentials = appCredentials(app('one'));
    expect(credentials.aesKey).toHaveLength(32);
    expect(credentials.aesKey.equals(Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=', 'base64'))).toBe(true);
    expect(credentials).toMatchObject({ token: 'tokenone', appId: 'wx0123456789abcdef' });
  });
});

describe('createAppDirectory', () => {
  it('finds each app by name with its mode and reply setting', () => {
    const apps = createAppDirectory([app('shop', { messageEncryption: 'compatible' }), app('default', { transferToCustomerService: true })]);
    expect(apps.names).toEqual(['shop', 'default']);
    expect(apps.byName('shop')).toMatchObject({ name: 'shop', encryption: 'compatible', transferToCustomerService: false });
    expect(apps.byName('nope')).toBeUndefined();
  });

  it('serves plain /wechat with the app named default, else the only app, else none', () => {
    expect(createAppDirectory([app('shop'), app('default')]).defaultApp?.name).toBe('default');
    expect(createAppDirectory([app('shop')]).defaultApp?.name).toBe('shop');
    expect(createAppDirectory([app('shop'), app('blog')]).defaultApp).toBeUndefined();
  });
});
