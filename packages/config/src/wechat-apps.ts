import { MESSAGE_ENCRYPTIONS, type ConfiguredApp } from '@wxcs/wechat';
import { z } from 'zod';
import { envBoolean, type Env } from './env-types.js';
import { DEVELOPMENT_APP } from './development-app.js';
import { PUBLISHED_PROBLEM, isPublishedCredential } from './published-credentials.js';

/** One configured mini program: the protocol package's shape, validated here. */
export type WechatAppConfig = ConfiguredApp;

const appSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
    message: 'must be lowercase letters, digits, - or _ (at most 63)',
  }),
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, {
    message: 'must be 3-32 letters or digits (WeChat console rule)',
  }),
  encodingAesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, {
    message: 'must be exactly 43 letters or digits',
  }),
  appId: z.string().regex(/^wx[0-9a-zA-Z]{14,30}$/, { message: 'must look like wx0123456789abcdef' }),
  transferToCustomerService: z.boolean().default(false),
  messageEncryption: z
    .enum(MESSAGE_ENCRYPTIONS, { message: `must be one of ${MESSAGE_ENCRYPTIONS.join(', ')}` })
    .default('safe'),
  appSecret: z
    .string()
    .regex(/^[0-9A-Za-z]{32}$/, { message: 'must be the 32 letters or digits of the AppSecret' })
    .optional(),
});

interface Parsed {
  apps: WechatAppConfig[];
  problems: string[];
}

/** `WECHAT_APPS`, then where inside it: `WECHAT_APPS[1].token`. */
function listLocation(path: readonly PropertyKey[]): string {
  const [index, ...fields] = path;
  if (index === undefined) return 'WECHAT_APPS';
  return `WECHAT_APPS[${String(index)}]${fields.map((field) => `.${String(field)}`).join('')}`;
}

function fromList(raw: string): Parsed {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) return { apps: [], problems: ['WECHAT_APPS: must be a JSON array of apps'] };
  const result = z.array(appSchema).min(1, { message: 'must list at least one app' }).safeParse(list);
  if (!result.success) {
    return {
      apps: [],
      problems: result.error.issues.map((issue) => `${listLocation(issue.path)}: ${issue.message}`),
    };
  }
  const names = result.data.map((app) => app.name);
  const dupes = names.filter((name, index) => names.indexOf(name) !== index);
  return {
    apps: result.data,
    problems: dupes.length > 0 ? [`WECHAT_APPS: duplicate app names ${[...new Set(dupes)].join(', ')}`] : [],
  };
}

const SINGLE_APP_VARS = {
  token: 'WECHAT_TOKEN',
  encodingAesKey: 'WECHAT_ENCODING_AES_KEY',
  appId: 'WECHAT_APP_ID',
  name: 'WECHAT_APP_NAME',
  transferToCustomerService: 'WECHAT_TRANSFER_TO_CUSTOMER_SERVICE',
  messageEncryption: 'WECHAT_MESSAGE_ENCRYPTION',
  appSecret: 'WECHAT_APP_SECRET',
} as const;

function fromSingleVars(env: Env): Parsed {
  const transfer = envBoolean.default(false).safeParse(env.WECHAT_TRANSFER_TO_CUSTOMER_SERVICE);
  const result = appSchema.safeParse({
    name: env.WECHAT_APP_NAME ?? 'default',
    token: env.WECHAT_TOKEN,
    encodingAesKey: env.WECHAT_ENCODING_AES_KEY,
    appId: env.WECHAT_APP_ID,
    transferToCustomerService: transfer.success ? transfer.data : false,
    messageEncryption: env.WECHAT_MESSAGE_ENCRYPTION,
    // Empty means unset, as for every other variable: the app is inbound-only.
    appSecret: env.WECHAT_APP_SECRET === '' ? undefined : env.WECHAT_APP_SECRET,
  });
  const problems = transfer.success
    ? []
    : [`WECHAT_TRANSFER_TO_CUSTOMER_SERVICE: must be one of true, false, 1, 0`];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as keyof typeof SINGLE_APP_VARS;
      const missing = env[SINGLE_APP_VARS[key]] === undefined;
      problems.push(`${SINGLE_APP_VARS[key]}: ${missing ? 'is required' : issue.message}`);
    }
    return { apps: [], problems };
  }
  return { apps: [result.data], problems };
}

/**
 * One mini program through WECHAT_TOKEN / WECHAT_ENCODING_AES_KEY /
 * WECHAT_APP_ID, or several through WECHAT_APPS (a JSON array), never both.
 */
export function parseWechatApps(env: Env, production: boolean): Parsed {
  const parsed = parseApps(env, production);
  return production ? { apps: parsed.apps, problems: [...parsed.problems, ...publishedSecrets(env, parsed.apps)] } : parsed;
}

const SECRET_FIELDS = ['token', 'encodingAesKey', 'appId', 'appSecret'] as const;

/** Production refuses an app whose Token, EncodingAESKey, AppID or AppSecret was published here. */
function publishedSecrets(env: Env, apps: readonly WechatAppConfig[]): string[] {
  const problems: string[] = [];
  apps.forEach((app, index) => {
    for (const field of SECRET_FIELDS) {
      const value = app[field];
      if (value === undefined || !isPublishedCredential(value)) continue;
      const variable = env.WECHAT_APPS === undefined ? SINGLE_APP_VARS[field] : listLocation([index, field]);
      problems.push(`${variable}: ${PUBLISHED_PROBLEM}`);
    }
  });
  return problems;
}

function parseApps(env: Env, production: boolean): Parsed {
  const singleSet = [env.WECHAT_TOKEN, env.WECHAT_ENCODING_AES_KEY, env.WECHAT_APP_ID].some(
    (value) => value !== undefined,
  );
  if (env.WECHAT_APPS !== undefined) {
    if (singleSet) {
      return {
        apps: [],
        problems: ['WECHAT_APPS: set either WECHAT_APPS or WECHAT_TOKEN/WECHAT_ENCODING_AES_KEY/WECHAT_APP_ID, not both'],
      };
    }
    return fromList(env.WECHAT_APPS);
  }
  if (!singleSet && !production) return { apps: [DEVELOPMENT_APP], problems: [] };
  return fromSingleVars(env);
}
