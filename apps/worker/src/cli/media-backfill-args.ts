import { parseArgs } from 'node:util';

/** WeChat keeps a user's media for 3 days: older images cannot be fetched any more. */
export const MEDIA_LIFETIME_HOURS = 72;

export interface BackfillCommand {
  /** Configured app names; empty: every app. */
  readonly apps: readonly string[];
  /** Images sent at most this long ago. */
  readonly hours: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run media:backfill -- [--app NAME]... [--hours N]

Archives the images of stored messages that have no archive yet (messages
stored before the archive existed, or restored from a backup), sent in the
last N hours (default and most: 72, WeChat's 3 days). Creates their archive
rows and queues their jobs for the worker, then prints what is archived,
pending and failed. Running it again creates and queues nothing twice;
images waiting in the dead letters are replayed with \`npm run dlq\`.
`;

/** Pure: argv (without node and script) → a command; throws with the reason on anything else. */
export function parseBackfillArgs(argv: readonly string[]): BackfillCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      app: { type: 'string', multiple: true, default: [] },
      hours: { type: 'string', default: String(MEDIA_LIFETIME_HOURS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals[0]}`);
  const hours = Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > MEDIA_LIFETIME_HOURS) {
    throw new Error(`--hours must be a whole number from 1 to ${MEDIA_LIFETIME_HOURS}: WeChat forgets media after 3 days`);
  }
  return { apps: values.app, hours, help: values.help };
}
