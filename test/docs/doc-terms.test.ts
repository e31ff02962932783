import { describe, expect, it } from 'vitest';
import { missingTerms, namedPorts, namedTerms } from './doc-terms.js';

const known = new Set(['PORT', 'HOST', 'REDIS_URL']);

function valuesOf(markdown: string, kind: string): string[] {
  return [...namedTerms(markdown, known)].filter(([, k]) => k === kind).map(([key]) => key.slice(kind.length + 1)).sort();
}

describe('namedTerms: configuration variables', () => {
  it('finds them in prose, code spans, tables and code blocks, also right next to Chinese text', () => {
    const markdown = [
      'Set REDIS_URL first.',
      '| `QUEUE_PREFIX` | receiver |',
      '```sh',
      'WORKER_CONCURRENCY=8 npm start',
      '```',
      '设置DATABASE_URL后重启，另见 `WECHAT_*`。',
      'The renderer shows FOO\\_BAR as FOO_BAR.',
    ].join('\n');
    expect(valuesOf(markdown, 'configuration variable')).toEqual([
      'DATABASE_URL',
      'FOO_BAR',
      'QUEUE_PREFIX',
      'REDIS_URL',
      'WECHAT_*',
      'WORKER_CONCURRENCY',
    ]);
  });

  it('takes names without an underscore only when the code reads them, and only as whole words', () => {
    expect(valuesOf('`PORT` / `HOST`; JSON, XML, AOF, SIGTERM', 'configuration variable')).toEqual(['HOST', 'PORT']);
    expect(valuesOf('`WORKER_PORT` on localhost', 'configuration variable')).toEqual(['WORKER_PORT']);
  });

  it('ignores what the reader does not see', () => {
    expect(valuesOf('<!-- TODO: HIDDEN_VAR -->text', 'configuration variable')).toEqual([]);
  });
});

describe('namedTerms: npm scripts', () => {
  it('finds npm run scripts, npm start and npm test, across a line break and before punctuation', () => {
    const markdown = [
      '`npm start`, `npm test` and `npm run test:faults`; run `npm run start -w',
      'apps/worker` twice. Then npm run demo.',
      '| `npm run dlq -- list\\|replay` |',
      'npm ci is not a script.',
    ].join('\n');
    expect(valuesOf(markdown, 'npm script')).toEqual([
      'npm run demo',
      'npm run dlq',
      'npm run start',
      'npm run test:faults',
      'npm start',
      'npm test',
    ]);
  });
});

describe('namedTerms: HTTP paths', () => {
  it('finds routes, also after a URL host, and compares placeholders by place only', () => {
    const markdown = 'POST `https://<your host>/wechat`, <http://127.0.0.1:3002/api/v1/inbox> or `/wechat/<app name>`; keep /metrics, `/healthz` and `/api/v1/messages/:id` internal.';
    expect(valuesOf(markdown, 'HTTP path')).toEqual(['/api/v1/inbox', '/api/v1/messages/:id', '/healthz', '/metrics', '/wechat', '/wechat/<…>']);
    expect(valuesOf('回调发到 `/wechat/<应用名>`。', 'HTTP path')).toEqual(['/wechat/<…>']);
  });

  it('does not take relative paths, URLs, database names, files or slashes between words for routes', () => {
    const markdown = '`apps/receiver`, docs/operations.md, `prisma/migrations/<timestamp>_<name>/migration.sql`, `postgresql://postgres@127.0.0.1:5432/wechat_cs`, `/usr/bin/chromium`, 1 s / 5 s, 读/写, and/or';
    expect(valuesOf(markdown, 'HTTP path')).toEqual([]);
  });
});

describe('namedPorts', () => {
  it('finds host:port, :port, "port N" and "N 端口"', () => {
    const markdown = 'redis://127.0.0.1:6379, `receiver :3000`, localhost:8080, port 9090, 9464 端口, 端口：9100';
    expect([...namedPorts(markdown)].sort((a, b) => a - b)).toEqual([3000, 6379, 8080, 9090, 9100, 9464]);
  });

  it('takes the numbers on a line naming a port variable, which is how the tables give them', () => {
    const markdown = [
      '| `PORT` / `HOST` | receiver | `3000` / `0.0.0.0` | listen address |',
      '| worker | any | `WORKER_PORT` (3001): `/healthz` |',
      '| `SHUTDOWN_TIMEOUT_MS` | all | `15000` | at 12:30 |',
    ].join('\n');
    expect([...namedPorts(markdown)].sort((a, b) => a - b)).toEqual([3000, 3001]);
  });
});

describe('missingTerms', () => {
  const english = {
    name: 'GUIDE.md',
    text: 'Set `REDIS_URL`, then `npm run demo`; the receiver listens on `PORT` (3000) at `/wechat`.',
  };
  const chinese = {
    name: 'GUIDE.zh-CN.md',
    text: '先设置 `REDIS_URL`，再执行 `npm run demo`；receiver 监听\n`PORT`，默认 3000，路径为 `/wechat`。',
  };

  it('passes a faithful translation, even when a port stands on another line than its variable', () => {
    expect(missingTerms(english, chinese, known)).toEqual([]);
  });

  it('reports a variable added to one side only, naming the file that lacks it', () => {
    const added = { ...chinese, text: `${chinese.text}\n另外设置 \`QUEUE_PREFIX\`。` };
    expect(missingTerms(english, added, known)).toEqual([
      'GUIDE.md lacks configuration variable QUEUE_PREFIX, named in GUIDE.zh-CN.md',
    ]);
    expect(missingTerms({ ...english, text: `${english.text} Also \`QUEUE_PREFIX\`.` }, chinese, known)).toEqual([
      'GUIDE.zh-CN.md lacks configuration variable QUEUE_PREFIX, named in GUIDE.md',
    ]);
  });

  it('reports a missing script, path and port in either direction', () => {
    const stale = { ...chinese, text: '先设置 `REDIS_URL`；receiver 监听 `PORT`。' };
    expect(missingTerms(english, stale, known)).toEqual([
      'GUIDE.zh-CN.md lacks npm script npm run demo, named in GUIDE.md',
      'GUIDE.zh-CN.md lacks HTTP path /wechat, named in GUIDE.md',
      'GUIDE.zh-CN.md lacks port 3000, named in GUIDE.md',
    ]);
    const newPort = { ...chinese, text: `${chinese.text}\n指标在内网端口 9464 上。` };
    expect(missingTerms(english, newPort, known)).toEqual(['GUIDE.md lacks port 9464, named in GUIDE.zh-CN.md']);
  });
});
