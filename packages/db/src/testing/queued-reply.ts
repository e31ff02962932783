import type { CustomerReply, NewCustomerReply } from '../repository/customer-reply.js';
import { INSERT_REPLY_SQL, insertParameters } from '../repository/customer-reply-columns.js';
import type { Queryable } from '../repository/insert-messages.js';

/**
 * A queued customer_reply row as the support API stores it, without its
 * window check or job: tests of the sending side start from the row. A text
 * reply unless `overrides` says otherwise.
 */
export async function insertQueuedReply(prisma: Queryable, overrides: Partial<NewCustomerReply> & Pick<NewCustomerReply, 'appId' | 'openid'>): Promise<CustomerReply> {
  const reply: NewCustomerReply = {
    idempotencyKey: null,
    msgType: 'text',
    body: { msgtype: 'text', text: { content: 'hello from the test' } },
    sentBy: 'test',
    createdAt: new Date(),
    ...overrides,
  };
  const [row] = await prisma.$queryRawUnsafe<CustomerReply[]>(INSERT_REPLY_SQL, ...insertParameters(reply));
  if (row === undefined) throw new Error('insertQueuedReply: the idempotency key was used before');
  return row;
}
