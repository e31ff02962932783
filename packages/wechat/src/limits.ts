// Real callbacks are a few kilobytes and at most three levels deep; these
// bounds only exist so hostile input cannot cost unbounded time or stack.
export const MAX_DOCUMENT_LENGTH = 1_048_576;
export const MAX_NESTING_DEPTH = 32;
// WeChat's longest field names are around 25 characters (SubscribeMsgPopupEvent).
export const MAX_NAME_LENGTH = 128;
// A mini program's original id is "gh_" and 12 hex digits.
export const MAX_TO_USER_NAME_LENGTH = 64;
