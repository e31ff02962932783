// Second baseline for the receiver benchmark: what a user would write
// instead. Express reads the body, one BullMQ `queue.add` per request, then
// `success`. No signature check, no batching, no spool.
import { Queue } from 'bullmq';
import express from 'express';

const queue = new Queue('wechat-inbound', { connection: { url: process.env.REDIS_URL }, prefix: process.env.QUEUE_PREFIX });
const app = express();
app.post('/wechat', express.text({ type: '*/*', limit: '256kb' }), async (req, res) => {
  await queue.add('callback', { body: req.body as string, query: req.query, receivedAt: new Date().toISOString() }, { removeOnComplete: true });
  res.type('text/plain').send('success');
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void queue.close().then(() => process.exit(0))));
