import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** `.env.example` as shipped: every secret empty. */
export const exampleEnv: Record<string, string> = Object.fromEntries(
  readFileSync(join(root, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** What an operator fills .env.example with: secrets of their own. */
export const operatorEnv: Record<string, string> = {
  ...exampleEnv,
  WECHAT_TOKEN: 'opsToken2026',
  WECHAT_ENCODING_AES_KEY: 'Zq3'.repeat(14) + 'Z',
  WECHAT_APP_ID: 'wx5f0c2e7a9d1b3c48',
  DASHBOARD_PASSWORD: 'a-long-operator-password',
  POSTGRES_PASSWORD: 'an-operator-db-password',
  SUPPORT_API_TOKENS: JSON.stringify([{ name: 'crm', token: 'c3f1a9e07b5d2c8e4f6a0b1d9e3c7a52' }]),
};
