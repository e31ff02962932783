import { randomBytes } from 'node:crypto';
import { refuse } from './wechat-answer.js';

const TOKEN_LIFETIME_MS = 7_200_000;
// "普通模式下平台会提前5分钟更新access_token": in its last five minutes normal mode hands out a new one.
const RENEW_AHEAD_MS = 5 * 60_000;
const FORCE_REFRESH_INTERVAL_MS = 30_000;
const DAY_MS = 86_400_000;

export interface FakeApp {
  readonly appId: string;
  readonly secret: string;
}

export interface TokenFetchCounts {
  readonly normal: number;
  readonly forced: number;
}

interface IssuedToken {
  readonly appId: string;
  readonly expiresAt: number;
  invalidated: boolean;
}

interface AppTokens {
  current: string | undefined;
  normal: number;
  forced: number;
  forcedToday: { day: number; count: number };
  lastForcedAt: number;
}

/** The stable-token side of the fake: issuance, expiry, force_refresh limits, and checking a call's token. */
export function createFakeTokens(apps: readonly FakeApp[], clock: () => number, forceRefreshDailyLimit: number) {
  const issued = new Map<string, IssuedToken>();
  const perApp = new Map<string, AppTokens>(
    apps.map((app) => [
      app.appId,
      { current: undefined, normal: 0, forced: 0, forcedToday: { day: -1, count: 0 }, lastForcedAt: -Infinity },
    ]),
  );

  function issue(appId: string, state: AppTokens): string {
    const token = `fake-token-${randomBytes(24).toString('hex')}`;
    issued.set(token, { appId, expiresAt: clock() + TOKEN_LIFETIME_MS, invalidated: false });
    state.current = token;
    return token;
  }

  function invalidateCurrent(state: AppTokens): void {
    const current = state.current === undefined ? undefined : issued.get(state.current);
    if (current) current.invalidated = true;
    state.current = undefined;
  }

  function checkForceRefreshLimits(state: AppTokens): void {
    const now = clock();
    const day = Math.floor(now / DAY_MS);
    if (state.forcedToday.day !== day) state.forcedToday = { day, count: 0 };
    // The codes for these two refusals are not in WeChat's docs; these are the
    // general daily-quota and per-minute-frequency codes (see the package README).
    if (state.forcedToday.count >= forceRefreshDailyLimit) refuse(45009, 'reach max api daily quota limit');
    if (now - state.lastForcedAt < FORCE_REFRESH_INTERVAL_MS) refuse(45011, 'api minute-quota reach limit');
    state.forcedToday.count += 1;
    state.lastForcedAt = now;
  }

  return {
    stableToken: (body: Record<string, unknown>): { access_token: string; expires_in: number } => {
      if (body.grant_type !== 'client_credential') refuse(40002, 'invalid grant_type');
      const app = apps.find((candidate) => candidate.appId === body.appid);
      const state = app && perApp.get(app.appId);
      if (!app || !state) return refuse(40013, 'invalid appid');
      if (body.secret !== app.secret) refuse(40125, 'invalid appsecret');
      if (body.force_refresh === true) {
        checkForceRefreshLimits(state);
        state.forced += 1;
        invalidateCurrent(state);
        issue(app.appId, state);
      } else {
        state.normal += 1;
        const current = state.current === undefined ? undefined : issued.get(state.current);
        // The previous token is left valid until its own expiry: replicas still holding it keep working.
        if (!current || current.expiresAt - clock() <= RENEW_AHEAD_MS) issue(app.appId, state);
      }
      const token = state.current as string;
      const expiresAt = (issued.get(token) as IssuedToken).expiresAt;
      return { access_token: token, expires_in: Math.floor((expiresAt - clock()) / 1000) };
    },

    /** The app a call's `access_token` belongs to, or WeChat's refusal. */
    authorize: (token: string | null): string => {
      if (!token) return refuse(41001, 'access_token missing');
      const found = issued.get(token);
      if (!found || found.invalidated) return refuse(40001, 'invalid credential, access_token is invalid or not latest');
      if (found.expiresAt <= clock()) return refuse(42001, 'access_token expired');
      return found.appId;
    },

    fetches: (appId: string): TokenFetchCounts => {
      const state = perApp.get(appId);
      return { normal: state?.normal ?? 0, forced: state?.forced ?? 0 };
    },

    current: (appId: string): string | undefined => {
      return perApp.get(appId)?.current;
    },

    /** As if another party force-refreshed: the current token stops working at once. */
    invalidate: (appId: string): void => {
      const state = perApp.get(appId);
      if (state) invalidateCurrent(state);
    },
  };
}

export type FakeTokens = ReturnType<typeof createFakeTokens>;
