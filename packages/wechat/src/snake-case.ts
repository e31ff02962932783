/** 'ThumbMediaId' -> 'thumb_media_id', 'MsgID' -> 'msg_id'; already snake_case stays as is. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
