import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboundCallback } from '@wxcs/queue';
import type { AppDirectory, AuthenticatedCallback, DirectoryApp } from '@wxcs/wechat';
import { resolveApp } from '../resolve-app.js';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';
import type { CallbackTarget } from '../http/callback-url.js';
import type { ErrorResponder } from '../http/error-handler.js';
import { readBody } from '../http/read-body.js';
import { requestFacts, requestLogger } from '../http/request-log.js';
import { sendText } from '../http/send-text.js';
import type { Intake } from '../intake/create-intake.js';
import { deliveryKey } from '../intake/delivery-key.js';
import type { DeliveryWindow } from '../intake/delivery-window.js';
import type { ReceiverMetrics } from '../metrics.js';
import { normalizeQuery } from './callback-query.js';
import { buildPassiveReply, type PassiveReply } from './passive-reply.js';
import { verifyCallback } from './verify-callback.js';

export interface ReceiveCallbackDeps {
  readonly apps: AppDirectory;
  readonly intake: Pick<Intake, 'enqueue'>;
  readonly deliveries: DeliveryWindow;
  readonly metrics: ReceiverMetrics;
  readonly bodyLimitBytes: number;
  readonly timestampToleranceSeconds: number;
  readonly now: () => Date;
  readonly respondWithError: ErrorResponder;
}

/** `POST /wechat[/:app]`: a callback. */
export type ReceiveCallback = (req: IncomingMessage, res: ServerResponse, target: CallbackTarget) => void;

// Content-Type is not trusted (JSON has arrived as text/xml); only types that
// can never be a WeChat callback are refused, before the body is read.
const NEVER_A_CALLBACK = /^\s*(multipart\/|application\/x-www-form-urlencoded|image\/|audio\/|video\/|font\/)/i;

function bodyText(body: Buffer | undefined): string {
  if (body === undefined || body.length === 0) throw new BadRequestError('empty body');
  // WeChat sends UTF-8; anything else could not be stored byte for byte as text.
  if (!isUtf8(body)) throw new BadRequestError('body is not valid UTF-8');
  return body.toString('utf8');
}

/**
 * Verify, hand the callback to the intake, and answer once it is durable
 * (`success`, or the transfer reply for apps that want one). Every failure
 * goes to `respondWithError`.
 */
export function createReceiveCallback(deps: ReceiveCallbackDeps): ReceiveCallback {
  const { metrics } = deps;

  function tryPassiveReply(
    app: DirectoryApp,
    callback: InboundCallback,
    authenticated: AuthenticatedCallback,
    now: Date,
    res: ServerResponse,
  ): PassiveReply | undefined {
    try {
      const reply = buildPassiveReply({ app, body: callback.body, authenticated, nonce: callback.query.nonce ?? '', now });
      metrics.countTransferReply(reply ? 'sent' : 'event');
      return reply;
    } catch (error) {
      metrics.countTransferReply('failed');
      const code = (error as { code?: unknown }).code;
      requestLogger(res).warn({ app: app.name, code, errorName: (error as Error).name }, 'no transfer reply, answering success');
      return undefined;
    }
  }

  async function receive(req: IncomingMessage, res: ServerResponse, target: CallbackTarget): Promise<void> {
    const facts = requestFacts(res);
    const app = resolveApp(deps.apps, target.app);
    facts.app = app.name;
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && NEVER_A_CALLBACK.test(contentType)) {
      throw new UnsupportedMediaTypeError('unsupported content type');
    }
    const body = bodyText(await readBody(req, deps.bodyLimitBytes));
    const query = normalizeQuery(target.query);
    const now = deps.now();
    const authenticated = verifyCallback({
      token: app.credentials.token,
      encryption: app.encryption,
      body,
      query,
      timestampToleranceSeconds: deps.timestampToleranceSeconds,
      nowSeconds: Math.floor(now.getTime() / 1000),
    });
    const callback: InboundCallback = {
      v: 1,
      callbackId: deliveryKey({ app: app.name, query, body }),
      app: app.name,
      receivedAt: now.toISOString(),
      body,
      contentType: contentType ?? null,
      query,
    };
    const stored = deps.deliveries.admit(callback.callbackId, () => deps.intake.enqueue(callback));
    // Built while Redis works on the batch; only sent once the callback is durable.
    const reply = app.transferToCustomerService ? tryPassiveReply(app, callback, authenticated, now, res) : undefined;
    const outcome = await stored;
    facts.outcome = outcome;
    metrics.countRequest(outcome);
    if (outcome !== 'repeat') metrics.observeAck(outcome, (performance.now() - facts.startedAt) / 1000);
    if (reply) sendText(res, 200, reply.contentType, reply.body);
    else sendText(res, 200, 'text/plain; charset=utf-8', 'success');
  }

  return (req, res, target) => {
    receive(req, res, target).catch((error: unknown) => deps.respondWithError(error, res));
  };
}
