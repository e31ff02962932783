import { describe, expect, it } from 'vitest';
import { UsageError, parseDlqArgs } from './dlq-args.js';

describe('parseDlqArgs', () => {
  it('lists with optional filters', () => {
    expect(parseDlqArgs(['list'])).toEqual({ action: 'list', filter: {}, json: false });
    expect(parseDlqArgs(['list', '--app', 'shop', '--code', 'bad_padding', '--json'])).toEqual({
      action: 'list',
      filter: { app: 'shop', code: 'bad_padding' },
      json: true,
    });
  });

  it('replays or purges by ids, by filter or everything', () => {
    expect(parseDlqArgs(['replay', 'dl-1', 'dl-2'])).toEqual({ action: 'replay', filter: { ids: ['dl-1', 'dl-2'] }, json: false });
    expect(parseDlqArgs(['purge', '--code', 'unknown_app'])).toEqual({ action: 'purge', filter: { code: 'unknown_app' }, json: false });
    expect(parseDlqArgs(['replay', '--all'])).toEqual({ action: 'replay', filter: {}, json: false });
  });

  it('refuses a replay or purge that does not say what it touches', () => {
    expect(() => parseDlqArgs(['purge'])).toThrow(UsageError);
    expect(() => parseDlqArgs(['replay'])).toThrow(/needs ids, --app, --code or --all/);
  });

  it('refuses ambiguous or unknown input', () => {
    expect(() => parseDlqArgs(['purge', '--all', '--app', 'shop'])).toThrow(/cannot be combined/);
    expect(() => parseDlqArgs(['list', 'dl-1'])).toThrow(UsageError);
    expect(() => parseDlqArgs(['drop', '--all'])).toThrow(/unknown command/);
    expect(() => parseDlqArgs(['list', '--colour'])).toThrow();
  });

  it('shows help when asked or given nothing', () => {
    expect(parseDlqArgs([])).toEqual({ action: 'help' });
    expect(parseDlqArgs(['--help'])).toEqual({ action: 'help' });
  });
});
