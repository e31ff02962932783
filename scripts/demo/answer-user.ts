import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeWechatApi } from '@wxcs/testkit';

export interface AnswerUserOptions {
  readonly supportUrl: string;
  readonly supportToken: string;
  readonly app: string;
  readonly openid: string;
  readonly content: string;
}

interface ReplyStatus {
  readonly status: string;
  readonly errcode: number | null;
  readonly errmsg: string | null;
  readonly rid: string | null;
}

/**
 * Answers the user through the support API as a support tool would, then
 * follows the reply until the worker has sent it (or WeChat refused it).
 */
export async function answerUser(options: AnswerUserOptions, wechat: FakeWechatApi, appId: string): Promise<boolean> {
  const headers = { authorization: `Bearer ${options.supportToken}`, 'content-type': 'application/json' };
  const path = `/api/v1/apps/${options.app}/conversations/${encodeURIComponent(options.openid)}/replies`;
  const body = JSON.stringify({ msgtype: 'text', text: { content: options.content } });
  console.log(`\nAnswering ${options.openid} through the support API (what a support tool runs):\n`);
  console.log(`  curl -H 'Authorization: Bearer ${options.supportToken}' -H 'Content-Type: application/json' \\`);
  console.log(`    -d '${body}' \\\n    ${options.supportUrl}${path}\n`);
  const posted = await fetch(`${options.supportUrl}${path}`, { method: 'POST', headers, body }).catch(() => undefined);
  if (posted === undefined) {
    console.log('  the support API does not answer: is it running (npm start)?');
    return false;
  }
  const accepted = (await posted.json()) as { id?: string; status?: string; error?: string };
  console.log(`  -> HTTP ${posted.status} ${JSON.stringify(accepted)}`);
  if (accepted.id === undefined) return false;

  let reply: ReplyStatus | undefined;
  for (let waited = 0; waited < 20_000 && (reply === undefined || reply.status === 'queued'); waited += 250) {
    await sleep(250);
    const answer = await fetch(`${options.supportUrl}/api/v1/replies/${accepted.id}`, { headers });
    reply = (await answer.json()) as ReplyStatus;
  }
  console.log(`  GET /api/v1/replies/${accepted.id} -> ${JSON.stringify(reply)}`);
  const delivered = wechat.sent(appId).filter((message) => message.touser === options.openid);
  console.log(`  WeChat (the demo's fake API) delivered ${delivered.length} message(s) to ${options.openid}`);
  return reply?.status === 'sent' && delivered.length === 1;
}
