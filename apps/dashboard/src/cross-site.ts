import { crossSiteReason } from '@wxcs/service';
import type { RequestHandler } from 'express';

export interface CrossSiteOptions {
  readonly onRejected?: (rejection: { method: string; path: string; reason: string }) => void;
}

/** Refuses POST/PUT/PATCH/DELETE that another site's page made the operator's browser send. */
export function rejectCrossSiteWrites(options: CrossSiteOptions = {}): RequestHandler {
  return (req, res, next) => {
    const reason = crossSiteReason(req);
    if (reason === undefined) {
      next();
      return;
    }
    options.onRejected?.({ method: req.method, path: req.path, reason });
    res.status(403).type('text/plain').send('Cross-site request refused\n');
  };
}
