import { PayloadError } from './errors.js';

// Parsed documents, JSON or XML, share one shape: every scalar is an exact
// string (no number coercion anywhere), containers are objects or arrays.
export type WechatValue = string | WechatFields | WechatValue[];
export interface WechatFields {
  [key: string]: WechatValue;
}

export function isFieldsObject(value: WechatValue | undefined): value is WechatFields {
  return typeof value === 'object' && !Array.isArray(value);
}

/** The field as text; undefined when absent; PayloadError when it is a container. */
export function optionalText(fields: WechatFields, key: string): string | undefined {
  if (!Object.hasOwn(fields, key)) return undefined;
  const value = fields[key];
  if (typeof value !== 'string') {
    throw new PayloadError('bad_field', `${key} must be a single text value`);
  }
  return value;
}

/** Like optionalText, but absence is a PayloadError; '' is allowed only with allowEmpty. */
export function requiredText(
  fields: WechatFields,
  key: string,
  options: { allowEmpty?: boolean } = {},
): string {
  const value = optionalText(fields, key);
  if (value === undefined || (value === '' && options.allowEmpty !== true)) {
    throw new PayloadError('missing_field', `${key} is required`);
  }
  return value;
}
