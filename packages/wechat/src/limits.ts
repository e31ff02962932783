// Real callbacks are a few kilobytes and at most three levels deep; these
// bounds only exist so hostile input cannot cost unbounded time or stack.
export const MAX_DOCUMENT_LENGTH = 1_048_576;
export const MAX_NESTING_DEPTH = 32;
