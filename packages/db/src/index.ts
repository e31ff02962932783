export { checkDatabase, DatabaseUnavailableError } from './client/check-database.js';
export { classifyDatabaseError, RowRejectedError, type DatabaseFailure } from './client/database-failure.js';
export { createPrismaClient, type CreatePrismaClientOptions, type PrismaClient } from './client/create-prisma-client.js';
export type { InsertOutcome, NewCustomerMessage } from './repository/customer-message.js';
export { insertMessages, type Queryable } from './repository/insert-messages.js';
export { STORAGE_NOTE_KEY, toStorableMessage } from './repository/storable-message.js';
export type { CustomerReply, NewCustomerReply, ReplyBody, ReplyStatus } from './repository/customer-reply.js';
export { findConversationWindow, openConversationWindow, type ConversationKey } from './repository/conversation-window.js';
export {
  findReply,
  markReplyFailed,
  markReplySent,
  reserveReply,
  type ReserveReplyInput,
  type ReserveReplyResult,
  type SendAnswer,
} from './repository/replies.js';
export {
  claimReplySend,
  findStaleQueuedReplies,
  markReplyFailedWithoutAnswer,
  markReplyHeld,
  releaseReplySend,
  type StaleQueuedReplyQuery,
} from './repository/reply-send.js';
export { archivableMediaOf, MESSAGE_MEDIA_ID_SQL, type ArchivableMedia } from './repository/archivable-media.js';
export {
  countArchives,
  createMissingArchives,
  findMediaArchive,
  listPendingArchives,
  oldestPendingArchives,
  readArchivedMedia,
  recordArchiveAttempt,
  recordArchived,
  recordArchiveFailed,
  type ArchivedMedia,
  type ArchiveFailure,
  type BlobStorage,
  type MediaArchive,
  type MediaArchiveStatus,
  type MediaBlob,
  type MediaKey,
} from './repository/media-archive.js';
