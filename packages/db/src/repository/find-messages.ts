import type { PrismaClient } from '../generated/prisma/client.js';
import type { StoredCustomerMessage } from './customer-message.js';

export async function countMessages(prisma: PrismaClient, filter: { appId?: string } = {}): Promise<number> {
  return prisma.customerMessage.count({ where: filter.appId === undefined ? {} : { appId: filter.appId } });
}

interface Row {
  id: string;
  app_id: string;
  signature: string | null;
  timestamp: string | null;
  nonce: string | null;
  openid: string | null;
  encrypt_type: string | null;
  msg_signature: string | null;
  to_username: string;
  from_username: string;
  msg_type: string;
  msg_info: Record<string, string>;
  msg_id: string | null;
  encrypt: string | null;
  dedup_key: string;
  msg_create_time: Date;
  payload_json: string;
  data_format: 'json' | 'xml';
  received_at: Date;
  create_time: Date;
  update_time: Date;
  delete_time: Date | null;
}

const MAX_LIMIT = 1_000;

/**
 * An app's messages in conversation order (sender, then time), the order of
 * the conversation index. Raw SQL so id and payload come back as exact text.
 */
export async function findMessagesByApp(
  prisma: PrismaClient,
  appId: string,
  options: { limit?: number } = {},
): Promise<StoredCustomerMessage[]> {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIMIT);
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT id::text AS id, app_id, signature, "timestamp", nonce, openid, encrypt_type, msg_signature,
           to_username, from_username, msg_type, msg_info, msg_id, encrypt, dedup_key, msg_create_time,
           payload::text AS payload_json, data_format, received_at, create_time, update_time, delete_time
    FROM customer_message
    WHERE app_id = ${appId}
    ORDER BY app_id, from_username, msg_create_time, id
    LIMIT ${limit}`;
  return rows.map((row) => ({
    id: row.id,
    appId: row.app_id,
    signature: row.signature,
    timestamp: row.timestamp,
    nonce: row.nonce,
    openid: row.openid,
    encryptType: row.encrypt_type,
    msgSignature: row.msg_signature,
    toUsername: row.to_username,
    fromUsername: row.from_username,
    msgType: row.msg_type,
    msgInfo: row.msg_info,
    msgId: row.msg_id,
    encrypt: row.encrypt,
    dedupKey: row.dedup_key,
    msgCreateTime: row.msg_create_time,
    payloadJson: row.payload_json,
    dataFormat: row.data_format,
    receivedAt: row.received_at,
    createTime: row.create_time,
    updateTime: row.update_time,
    deleteTime: row.delete_time,
  }));
}
