import type { PrismaClient } from '../generated/prisma/client.js';
import type { NewCustomerMessage } from '../repository/customer-message.js';
import { SELECT_FIELDS_SQL } from '../repository/customer-message-columns.js';

/**
 * A stored row with exact values: id and payload as text, like the inputs.
 * `payloadJson` is jsonb's rendering of the payload: the same values (big
 * numbers included), with jsonb's key order and spacing.
 */
export interface StoredCustomerMessage extends NewCustomerMessage {
  /** BIGSERIAL primary key, as text. */
  readonly id: string;
  readonly createTime: Date;
  readonly updateTime: Date;
  readonly deleteTime: Date | null;
}

export async function countMessages(prisma: PrismaClient, filter: { appId?: string } = {}): Promise<number> {
  return prisma.customerMessage.count({ where: filter.appId === undefined ? {} : { appId: filter.appId } });
}

const MAX_LIMIT = 1_000;

/**
 * An app's messages in conversation order (sender, then time), the order of
 * the conversation index, read through the same column list the insert
 * writes with. Raw SQL so id and payload come back as exact text.
 */
export async function findMessagesByApp(
  prisma: PrismaClient,
  appId: string,
  options: { limit?: number } = {},
): Promise<StoredCustomerMessage[]> {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIMIT);
  return prisma.$queryRawUnsafe<StoredCustomerMessage[]>(
    `SELECT id::text AS id, ${SELECT_FIELDS_SQL},
            create_time AS "createTime", update_time AS "updateTime", delete_time AS "deleteTime"
     FROM customer_message
     WHERE app_id = $1
     ORDER BY app_id, from_username, msg_create_time, id
     LIMIT $2`,
    appId,
    limit,
  );
}
