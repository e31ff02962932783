import { countArchives, createMissingArchives, listPendingArchives, type MediaArchiveStatus, type MediaKey, type Queryable } from '@wxcs/db';
import { addMediaArchiveJobs, type JobPolicy, type MediaQueue } from '@wxcs/queue';

export interface BackfillDeps {
  readonly prisma: Queryable;
  readonly queue: Pick<MediaQueue, 'addBulk'>;
  /** The apps to backfill: name (for the job) and AppID (for the rows). */
  readonly apps: readonly { readonly name: string; readonly appId: string }[];
  readonly policy: JobPolicy;
  readonly write: (line: string) => void;
  readonly pageSize?: number;
}

export interface BackfillResult {
  readonly created: number;
  readonly queued: number;
  readonly counts: Record<MediaArchiveStatus, number>;
}

const PAGE_SIZE = 500;

/**
 * Creates the missing archives of images sent since `since`, then adds the
 * job of every pending one, a page at a time, saying how far it got. Jobs
 * are added under each image's own id, so images already queued (or added
 * by an earlier run) get no second job.
 */
export async function runMediaBackfill(deps: BackfillDeps, since: Date): Promise<BackfillResult> {
  const appIds = deps.apps.map((app) => app.appId);
  const nameOf = new Map(deps.apps.map((app) => [app.appId, app.name]));
  const created = await createMissingArchives(deps.prisma, { since, appIds });
  deps.write(`created ${created} missing archive(s) for images sent since ${since.toISOString()}\n`);
  let queued = 0;
  let after: MediaKey | undefined;
  for (;;) {
    const page = await listPendingArchives(deps.prisma, { since, appIds, after, take: deps.pageSize ?? PAGE_SIZE });
    if (page.length === 0) break;
    await addMediaArchiveJobs(
      deps.queue,
      page.map((key) => ({ app: nameOf.get(key.appId) ?? key.appId, mediaId: key.mediaId })),
      deps.policy,
    );
    queued += page.length;
    after = page.at(-1);
    deps.write(`queued ${queued} pending image(s)\n`);
  }
  const counts = await countArchives(deps.prisma, { since, appIds });
  deps.write(`archived ${counts.archived}, pending ${counts.pending}, failed ${counts.failed}\n`);
  return { created, queued, counts };
}
