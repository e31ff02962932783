import { parseArgs } from 'node:util';
import type { DeadLetterFilter } from '@wxcs/queue';

export type DlqCommand =
  | { readonly action: 'list'; readonly filter: DeadLetterFilter; readonly json: boolean }
  | { readonly action: 'replay' | 'purge'; readonly filter: DeadLetterFilter; readonly json: boolean }
  | { readonly action: 'help' };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run dlq -- <command> [options]

  list   [--app NAME] [--code CODE] [--json]       show dead letters, oldest first
  replay <id...> | --all | --app NAME | --code CODE  put each payload back on the queue it came from
  purge  <id...> | --all | --app NAME | --code CODE  delete dead letters for good

--app and --code combine (both must match). replay and purge need ids, a
filter or an explicit --all, so an empty command line never touches anything.
`;

/** Pure: argv (without node and script) → a command; UsageError on anything ambiguous. */
export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      app: { type: 'string' },
      code: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...ids] = positionals;
  if (values.help || action === undefined || action === 'help') return { action: 'help' };
  const filter: DeadLetterFilter = {
    ...(ids.length > 0 ? { ids } : {}),
    ...(values.app !== undefined ? { app: values.app } : {}),
    ...(values.code !== undefined ? { code: values.code } : {}),
  };
  if (action === 'list') {
    if (ids.length > 0 || values.all) throw new UsageError('list takes only --app, --code and --json');
    return { action, filter, json: values.json };
  }
  if (action !== 'replay' && action !== 'purge') throw new UsageError(`unknown command ${JSON.stringify(action)}`);
  const selective = ids.length > 0 || values.app !== undefined || values.code !== undefined;
  if (values.all && selective) throw new UsageError('--all cannot be combined with ids, --app or --code');
  if (!values.all && !selective) throw new UsageError(`${action} needs ids, --app, --code or --all`);
  return { action, filter, json: values.json };
}
