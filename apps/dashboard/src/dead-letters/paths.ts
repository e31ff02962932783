/** Where the replay/remove page lives; bull-board links to it. */
export const DEAD_LETTERS_PATH = '/dead-letters';

export const replayPath = (id: string): string => `${DEAD_LETTERS_PATH}/${encodeURIComponent(id)}/replay`;
export const removePath = (id: string): string => `${DEAD_LETTERS_PATH}/${encodeURIComponent(id)}/remove`;
export const REPLAY_ALL_PATH = `${DEAD_LETTERS_PATH}/replay-all`;
/** bull-board's own view of one job (its client-side route). */
export const boardJobPath = (queue: string, id: string): string =>
  `/queue/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`;
