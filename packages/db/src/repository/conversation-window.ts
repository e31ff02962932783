import { openWindow, windowActionOf, type ConversationWindow, type WindowAction } from '@wxcs/wechat';
import type { NewCustomerMessage } from './customer-message.js';
import type { Queryable } from './insert-messages.js';

export interface ConversationKey {
  readonly appId: string;
  readonly openid: string;
}

const WINDOW_FIELDS_SQL = `deadline, replies_left AS "repliesLeft", last_action_at AS "lastActionAt",
  COALESCE(recent_reply_times, '{}') AS "recentReplyTimes"`;

type WindowRow = Omit<ConversationWindow, 'recentReplyTimes'> & { readonly recentReplyTimes: readonly (Date | string)[] };

/** pg may hand the timestamptz[] back as text; the window always holds Dates. */
function windowOf(row: WindowRow | undefined): ConversationWindow | undefined {
  return row && { ...row, recentReplyTimes: row.recentReplyTimes.map((time) => new Date(time)) };
}

/** The action's count less the replies made since it (`applyAction`'s `fresh`). */
const FRESH_COUNT_SQL = `GREATEST(0, EXCLUDED.replies_left - (
  SELECT count(*) FROM unnest(COALESCE(w.recent_reply_times, '{}')) AS reply(at) WHERE reply.at >= EXCLUDED.last_action_at
))::integer`;

/**
 * Applies user actions to conversation_window from a relation \`applied\`
 * with one row per conversation (app_id, openid, deadline, replies_left,
 * last_action_at): its actions folded into the latest one, with the latest
 * deadline. The SET is \`applyAction\` of @wxcs/wechat in SQL, evaluated on
 * the row as the upsert locked it, so a reply reserved meanwhile is counted;
 * a test holds the two to the same results.
 */
const UPSERT_WINDOWS_SQL = `
  INSERT INTO conversation_window AS w
    (app_id, openid, deadline, replies_left, last_action_at, recent_reply_times, last_activity_at, updated_at)
  SELECT app_id, openid, deadline, replies_left, last_action_at, '{}', last_action_at, now() FROM applied
  ORDER BY app_id, openid
  ON CONFLICT (app_id, openid) DO UPDATE SET
    deadline = GREATEST(w.deadline, EXCLUDED.deadline),
    replies_left = CASE
      WHEN EXCLUDED.last_action_at > w.last_action_at THEN ${FRESH_COUNT_SQL}
      WHEN EXCLUDED.last_action_at = w.last_action_at THEN LEAST(w.replies_left, ${FRESH_COUNT_SQL})
      ELSE w.replies_left END,
    last_action_at = GREATEST(w.last_action_at, EXCLUDED.last_action_at),
    last_activity_at = GREATEST(w.last_activity_at, EXCLUDED.last_action_at),
    updated_at = now()`;

/**
 * The user actions among messages as one JSON text (bytes, as the batch
 * itself): per message that opens a window, its identity and conversation,
 * WeChat's time and what the action alone allows.
 */
export function windowActionsJson(rows: readonly NewCustomerMessage[]): Buffer {
  const actions = [];
  for (const row of rows) {
    const action = windowActionOf({ msgType: row.msgType, event: row.msgInfo.event });
    if (action === undefined) continue;
    const own = openWindow(undefined, action, row.msgCreateTime);
    actions.push([row.appId, row.dedupKey, row.fromUsername, row.msgCreateTime.toISOString(), own.deadline.toISOString(), own.repliesLeft]);
  }
  return Buffer.from(JSON.stringify(actions), 'utf8');
}

/**
 * With a relation \`inserted\` (app_id, dedup_key) of the messages a statement
 * just stored, and the actions of \`windowActionsJson\` as parameter $2:
 * applies the actions of those messages only, so a duplicate delivery
 * spends or restores nothing. Runs in the insert's own statement: a stored
 * message always has its window applied.
 */
export const APPLY_INSERTED_ACTIONS_SQL = `
  action AS (
    SELECT a->>0 AS app_id, a->>1 AS dedup_key, a->>2 AS openid, (a->>3)::timestamptz AS at,
           (a->>4)::timestamptz AS deadline, (a->>5)::integer AS replies_left
    FROM jsonb_array_elements(convert_from($2, 'UTF8')::jsonb) AS a
  ),
  applied AS (
    SELECT action.app_id, action.openid, max(action.deadline) AS deadline, max(action.at) AS last_action_at,
           (array_agg(action.replies_left ORDER BY action.at DESC, action.replies_left))[1] AS replies_left
    FROM action JOIN inserted ON inserted.app_id = action.app_id AND inserted.dedup_key = action.dedup_key
    GROUP BY action.app_id, action.openid
  ),
  windows AS (${UPSERT_WINDOWS_SQL})`;

/** The conversation's window, or undefined if the user never opened one. */
export async function findConversationWindow(prisma: Queryable, key: ConversationKey): Promise<ConversationWindow | undefined> {
  const [row] = await prisma.$queryRawUnsafe<WindowRow[]>(
    `SELECT ${WINDOW_FIELDS_SQL} FROM conversation_window WHERE app_id = $1 AND openid = $2`,
    key.appId,
    key.openid,
  );
  return windowOf(row);
}

/**
 * The window, locked until the transaction ends: every change to one
 * conversation's allowance goes through this lock or the upsert's, so
 * concurrent callers take turns instead of spending the same reply twice.
 */
export async function lockConversationWindow(tx: Queryable, key: ConversationKey): Promise<ConversationWindow | undefined> {
  const [row] = await tx.$queryRawUnsafe<WindowRow[]>(
    `SELECT ${WINDOW_FIELDS_SQL} FROM conversation_window WHERE app_id = $1 AND openid = $2 FOR UPDATE`,
    key.appId,
    key.openid,
  );
  return windowOf(row);
}

/** Writes a reply's effect (`recordReply`) on a window locked by lockConversationWindow. */
export async function writeReplyToWindow(tx: Queryable, key: ConversationKey, window: ConversationWindow, repliedAt: Date): Promise<void> {
  await tx.$queryRawUnsafe(
    `UPDATE conversation_window
     SET replies_left = $3::integer,
         recent_reply_times = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)::timestamptz),
         last_activity_at = GREATEST(last_activity_at, $5::timestamptz), updated_at = now()
     WHERE app_id = $1 AND openid = $2`,
    key.appId,
    key.openid,
    window.repliesLeft,
    JSON.stringify(window.recentReplyTimes),
    repliedAt,
  );
}

/**
 * Applies one user action to the conversation's window, as storing its
 * message does, and returns the window after it. For tests and tools; the
 * worker applies actions with the messages (APPLY_INSERTED_ACTIONS_SQL).
 */
export async function openConversationWindow(
  prisma: Queryable,
  input: ConversationKey & { readonly action: WindowAction; readonly at: Date },
): Promise<ConversationWindow> {
  const own = openWindow(undefined, input.action, input.at);
  await prisma.$queryRawUnsafe(
    `WITH applied AS (
       SELECT $1::text AS app_id, $2::text AS openid, $3::timestamptz AS deadline, $4::integer AS replies_left, $5::timestamptz AS last_action_at
     ) ${UPSERT_WINDOWS_SQL}`,
    input.appId,
    input.openid,
    own.deadline,
    own.repliesLeft,
    input.at,
  );
  const window = await findConversationWindow(prisma, input);
  if (window === undefined) throw new Error('conversation_window has no row after its upsert');
  return window;
}
