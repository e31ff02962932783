import type { NewCustomerMessage } from '@wxcs/db';
import { inboundQueue, type InboundCallback } from '@wxcs/queue';
import { normalizeMessage, openCallback, type AppDirectory, type MessageEncryption } from '@wxcs/wechat';
import { toCustomerMessageRow } from './customer-message-row.js';
import { PermanentJobError } from './failures.js';

export interface PreparedMessage {
  readonly row: NewCustomerMessage;
  readonly mode: MessageEncryption;
}

/** The job payload as a callback; anything else is a producer bug no retry can fix. */
export function readCallback(data: unknown): InboundCallback {
  const parsed = inboundQueue.payload.safeParse(data);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  throw new PermanentJobError('invalid_job_payload', `job data is not an inbound callback (bad: ${fields.join(', ')})`);
}

/** Verifies, decrypts, parses and normalizes one callback into its row; protocol problems throw. */
export function prepareMessage(callback: InboundCallback, apps: AppDirectory): PreparedMessage {
  const app = apps.byName(callback.app);
  if (app === undefined) {
    throw new PermanentJobError('unknown_app', `no configured app is named ${JSON.stringify(callback.app)}`);
  }
  // The app's mode is enforced here as at the receiver: a callback that reached the queue
  // another way (an old spool, a replay after the app switched to safe mode) must not slip through.
  const opened = openCallback({ body: callback.body, query: callback.query, app: app.credentials, encryption: app.encryption });
  const message = normalizeMessage(opened.fields);
  return { row: toCustomerMessageRow({ callback, appId: app.credentials.appId, opened, message }), mode: opened.mode };
}
