import {
  listDeadLetters,
  payloadApp,
  purgeDeadLetters,
  replayDeadLetters,
  type DeadLetterQueue,
  type JobPolicy,
  type OriginQueue,
  type StoredDeadLetter,
} from '@wxcs/queue';
import { USAGE, type DlqCommand } from './dlq-args.js';

export interface DlqDeps {
  readonly deadLetters: DeadLetterQueue;
  /** The queues a dead letter may return to. */
  readonly origins: readonly OriginQueue[];
  /** Attempts a replayed job gets, from the same config as the worker. */
  readonly policy: JobPolicy;
  readonly write: (text: string) => void;
}

function formatLetters(letters: readonly StoredDeadLetter[]): string {
  const lines = letters.map(({ id, letter }) =>
    [id, letter.origin, payloadApp(letter.payload) ?? '-', letter.code, letter.kind, `attempts=${letter.attemptsMade}`, letter.failedAt, letter.reason].join('\t'),
  );
  return [...lines, `${letters.length} dead letter(s)`].join('\n') + '\n';
}

/** Runs one parsed command against the queues; returns the process exit code. */
export async function runDlqCommand(command: DlqCommand, deps: DlqDeps): Promise<number> {
  switch (command.action) {
    case 'help':
      deps.write(USAGE);
      return 0;
    case 'list': {
      const letters = await listDeadLetters(deps.deadLetters, command.filter);
      deps.write(command.json ? `${JSON.stringify(letters, null, 2)}\n` : formatLetters(letters));
      return 0;
    }
    case 'replay': {
      const ids = await replayDeadLetters(deps.deadLetters, deps.origins, deps.policy, command.filter);
      deps.write(command.json ? `${JSON.stringify({ replayed: ids })}\n` : `replayed ${ids.length}: ${ids.join(' ')}\n`);
      return 0;
    }
    case 'purge': {
      const ids = await purgeDeadLetters(deps.deadLetters, command.filter);
      deps.write(command.json ? `${JSON.stringify({ purged: ids })}\n` : `purged ${ids.length}: ${ids.join(' ')}\n`);
      return 0;
    }
  }
}
