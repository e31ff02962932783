// Baseline for the receiver benchmark: a default Express app that answers
// `success` to POST /wechat without reading or checking anything.
import express from 'express';

const app = express();
app.post('/wechat', (_req, res) => {
  res.type('text/plain').send('success');
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
