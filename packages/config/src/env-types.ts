import { z } from 'zod';
import { parseRedisNodes } from './redis-target.js';

/** The environment as the process sees it; only composition roots pass `process.env` in. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Strict booleans: a typo such as `ture` must fail loudly instead of silently
 * meaning false.
 */
export const envBoolean = z
  .enum(['true', 'false', '1', '0'], { message: 'must be one of true, false, 1, 0' })
  .transform((value) => value === 'true' || value === '1');

export const envInt = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

export const port = envInt(1, 65_535);

// Our own wording, not zod's (which changes between versions): operators grep for these.
export const nodeEnv = z
  .enum(['development', 'production', 'test'], { message: 'must be one of development, production, test' })
  .default('development');

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  })
  .default('info');

export const redisUrl = z
  .string()
  .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' });

export const redisNodes = z
  .string()
  .refine((value) => parseRedisNodes(value) !== undefined, { message: 'must be host:port pairs separated by commas' })
  .transform((value) => parseRedisNodes(value) ?? []);

export const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' });
