import type { ServerResponse } from 'node:http';
import type { AppDirectory } from '@wxcs/wechat';
import { resolveApp } from '../resolve-app.js';
import type { CallbackTarget } from '../http/callback-url.js';
import type { ErrorResponder } from '../http/error-handler.js';
import { requestFacts } from '../http/request-log.js';
import { sendText } from '../http/send-text.js';
import type { ReceiverMetrics } from '../metrics.js';
import { normalizeQuery } from './callback-query.js';
import { verifyUrl } from './verify-callback.js';

export interface AnswerUrlVerificationDeps {
  readonly apps: AppDirectory;
  readonly metrics: Pick<ReceiverMetrics, 'countRequest'>;
  readonly respondWithError: ErrorResponder;
}

/** `GET /wechat[/:app]`: WeChat's URL verification. */
export type AnswerUrlVerification = (res: ServerResponse, target: CallbackTarget) => void;

/** Echoes `echostr` as plain text for a valid `signature`; every failure goes to `respondWithError`. */
export function createAnswerUrlVerification(deps: AnswerUrlVerificationDeps): AnswerUrlVerification {
  return (res, target) => {
    try {
      const app = resolveApp(deps.apps, target.app);
      requestFacts(res).app = app.name;
      const echostr = verifyUrl(app.credentials.token, normalizeQuery(target.query));
      deps.metrics.countRequest('echo');
      // The echostr is the caller's text: never let a browser sniff it into HTML.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      sendText(res, 200, 'text/plain; charset=utf-8', echostr);
    } catch (error) {
      deps.respondWithError(error, res);
    }
  };
}
