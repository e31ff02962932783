import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { REDACTED, scrub } from './scrub.js';

describe('scrub', () => {
  it('walks plain objects, arrays and objects without a prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { password: 'pw', url: 'redis://:pw@h' });
    expect(scrub({ list: [{ token: 't' }, 'postgres://u:p@h/db'], bare })).toEqual({
      list: [{ token: REDACTED }, `postgres://${REDACTED}@h/db`],
      bare: { password: REDACTED, url: `redis://${REDACTED}@h` },
    });
  });

  it('leaves class instances such as a ServerResponse to the serializers instead of walking them', () => {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    class Handle {
      constructor() {
        // An enumerable own getter that a walk would call.
        Object.defineProperty(this, 'socket', {
          enumerable: true,
          get: () => {
            throw new Error('walked into a class instance');
          },
        });
      }
    }
    const handle = new Handle();
    const when = new Date(0);
    const out = scrub({ res, handle, when, nested: { token: 't', res } }) as Record<string, unknown>;
    expect(out.res).toBe(res);
    expect(out.handle).toBe(handle);
    expect(out.when).toBe(when);
    expect(out.nested).toEqual({ token: REDACTED, res });
  });

  it('still turns Errors into plain, cleaned objects', () => {
    const error = Object.assign(new Error('to redis://:pw@h'), { code: 'ECONNREFUSED' });
    expect(scrub(error)).toMatchObject({ type: 'Error', message: `to redis://${REDACTED}@h`, code: 'ECONNREFUSED' });
  });
});
