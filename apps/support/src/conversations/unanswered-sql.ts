/**
 * The message types a user sends in a mini program's customer-service
 * session: what opens a reply window (windowActionOf of @wxcs/wechat) less
 * the session entry, which is an event and asks no question.
 */
export const USER_MESSAGE_TYPES_SQL = `('text', 'image', 'miniprogrampage')`;

/**
 * The time of the conversation `w` (a conversation_window row) was last
 * answered: its latest reply that is queued or sent. A failed reply answered
 * nothing.
 */
const ANSWERED_AT_SQL = `COALESCE((
  SELECT max(r.created_at) FROM customer_reply r
  WHERE r.app_id = w.app_id AND r.openid = w.openid AND r.status IN ('queued', 'sent')
), '-infinity'::timestamptz)`;

/**
 * WHERE conditions of the user's messages in conversation `w` that no reply
 * answered: received after its latest queued or sent reply was made. Both
 * times are ours (the receiver's clock and the support API's), so a message
 * that arrives after a reply was written counts, whatever WeChat's
 * second-resolution CreateTime says.
 */
export const UNANSWERED_MESSAGE_SQL = `m.app_id = w.app_id AND m.from_username = w.openid AND m.delete_time IS NULL
  AND m.msg_type IN ${USER_MESSAGE_TYPES_SQL} AND m.received_at > ${ANSWERED_AT_SQL}`;
