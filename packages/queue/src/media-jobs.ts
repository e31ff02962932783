import { mediaQueue } from './catalog.js';
import type { JobPolicy } from './job-options.js';
import type { MediaArchiveJob } from './payloads.js';
import type { MediaQueue } from './queues.js';

/**
 * Adds the archive jobs of these images in one round trip. Each job id is
 * its image's, so adding one again (a retried callback, the backfill, a
 * second replica) makes no second job while the first is kept.
 */
export async function addMediaArchiveJobs(queue: Pick<MediaQueue, 'addBulk'>, images: readonly { app: string; mediaId: string }[], policy: JobPolicy): Promise<void> {
  if (images.length === 0) return;
  await queue.addBulk(
    images.map((image) => {
      const data: MediaArchiveJob = { v: 1, app: image.app, mediaId: image.mediaId };
      return { name: mediaQueue.jobName, data, opts: { ...mediaQueue.jobOptions(policy), jobId: mediaQueue.jobId(data) } };
    }),
  );
}
