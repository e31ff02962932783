import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { InboundCallback } from '@wxcs/queue';
import type { Request, Response } from 'express';
import type { RegisteredApp } from '../app-registry.js';
import { BadRequestError } from '../errors.js';
import type { Intake } from '../intake/create-intake.js';
import type { ReceiverMetrics } from '../metrics.js';
import { normalizeQuery } from './callback-query.js';
import { buildPassiveReply, type PassiveReply } from './passive-reply.js';
import { sendText, type CallbackLocals } from './send-text.js';
import { verifyCallback } from './verify-callback.js';

export interface ReceiveCallbackDeps {
  readonly intake: Pick<Intake, 'enqueue'>;
  readonly metrics: ReceiverMetrics;
  readonly timestampToleranceSeconds: number;
  readonly now: () => Date;
}

function bodyText(body: unknown): string {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new BadRequestError('empty body');
  // WeChat sends UTF-8; anything else could not be stored byte for byte as text.
  if (!isUtf8(body)) throw new BadRequestError('body is not valid UTF-8');
  return body.toString('utf8');
}

/**
 * POST handler: verify, hand the callback to the intake, and answer once it
 * is durable (`success`, or the transfer reply for apps that want one).
 */
export function createReceiveCallback(deps: ReceiveCallbackDeps): (req: Request, res: Response) => Promise<void> {
  const { metrics } = deps;

  function tryPassiveReply(app: RegisteredApp, callback: InboundCallback, now: Date, res: Response): PassiveReply | undefined {
    try {
      const reply = buildPassiveReply({ app, body: callback.body, query: callback.query, now });
      metrics.countTransferReply(reply ? 'sent' : 'event');
      return reply;
    } catch (error) {
      metrics.countTransferReply('failed');
      const code = (error as { code?: unknown }).code;
      res.log.warn({ app: app.name, code, errorName: (error as Error).name }, 'no transfer reply, answering success');
      return undefined;
    }
  }

  return async (req, res) => {
    const locals = res.locals as CallbackLocals;
    const { app } = locals;
    const body = bodyText(req.body);
    const query = normalizeQuery(req.query);
    const now = deps.now();
    verifyCallback({
      token: app.credentials.token,
      body,
      query,
      timestampToleranceSeconds: deps.timestampToleranceSeconds,
      nowSeconds: Math.floor(now.getTime() / 1000),
    });
    const callback: InboundCallback = {
      v: 1,
      callbackId: randomUUID(),
      app: app.name,
      receivedAt: now.toISOString(),
      body,
      contentType: req.headers['content-type'] ?? null,
      query,
    };
    const stored = deps.intake.enqueue(callback);
    // Built while Redis works on the batch; only sent once the callback is durable.
    const reply = app.transferToCustomerService ? tryPassiveReply(app, callback, now, res) : undefined;
    const outcome = await stored;
    locals.outcome = outcome;
    metrics.countRequest(outcome);
    metrics.observeAck(outcome, (performance.now() - locals.startedAt) / 1000);
    if (reply) sendText(res, 200, reply.contentType, reply.body);
    else sendText(res, 200, 'text/plain; charset=utf-8', 'success');
  };
}
