import { randomBytes } from 'node:crypto';

/** WeChat's error answer: HTTP 200, the code, and a fresh `rid` in `errmsg` as WeChat appends one. */
export interface ErrorAnswer {
  readonly errcode: number;
  readonly errmsg: string;
}

export function newRid(): string {
  return [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
}

export function errorAnswer(errcode: number, errmsg: string): ErrorAnswer {
  return { errcode, errmsg: `${errmsg} rid: ${newRid()}` };
}

export class FakeWechatRefusal extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }
}

/** Thrown inside a route handler to answer with WeChat's error body. */
export function refuse(errcode: number, errmsg: string): never {
  throw new FakeWechatRefusal(errcode, errmsg);
}
