import { deadLetterQueue, inboundQueue, payloadApp, type DeadLetterFilter, type StoredDeadLetter } from '@wxcs/queue';
import { html, type SafeHtml } from '../html.js';
import { PAGE_SCRIPT_PATH, PAGE_STYLE_PATH } from './assets.js';
import { DEAD_LETTERS_PATH, REPLAY_ALL_PATH, boardJobPath, removePath, replayPath } from './paths.js';

/** Payload text beyond this is cut on the page; bull-board's job view shows all of it. */
const BODY_PREVIEW_CHARS = 4_000;

export interface DeadLetterPageView {
  readonly letters: readonly StoredDeadLetter[];
  /** How many match the filter; `letters` may be only the oldest of them. */
  readonly total: number;
  readonly filter: Pick<DeadLetterFilter, 'app' | 'code'>;
  readonly notice?: string;
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function cut(text: string): string {
  return text.length > BODY_PREVIEW_CHARS ? `${text.slice(0, BODY_PREVIEW_CHARS)}\n… (${text.length} chars)` : text;
}

/** A callback as the request it was; any other payload as JSON. */
function payloadPreview(letter: StoredDeadLetter['letter']): string {
  const callback = letter.origin === inboundQueue.name ? inboundQueue.payload.safeParse(letter.payload) : undefined;
  if (!callback?.success) return cut(JSON.stringify(letter.payload, null, 2) ?? String(letter.payload));
  const { body, query, contentType } = callback.data;
  return `content-type: ${contentType ?? '(none)'}\nquery: ${JSON.stringify(query)}\n\n${cut(body)}`;
}

function row({ id, letter }: StoredDeadLetter): SafeHtml {
  return html`<tr data-dead-letter="${id}">
<td title="${letter.failedAt}">${shortTime(letter.failedAt)}</td>
<td>${letter.origin}</td>
<td>${payloadApp(letter.payload) ?? '—'}</td>
<td><code>${letter.code}</code></td>
<td class="reason">${letter.reason}<br><small>${letter.errorName} (${letter.kind}), ${letter.attemptsMade} attempt(s), first tried ${letter.firstAttemptAt === null ? 'unknown' : shortTime(letter.firstAttemptAt)}</small>
<details><summary>Payload</summary><pre>${payloadPreview(letter)}</pre></details></td>
<td><a href="${boardJobPath(deadLetterQueue.name, id)}"><code>${id}</code></a></td>
<td><form method="post" action="${replayPath(id)}"><button type="submit">Replay</button></form>
<form method="post" action="${removePath(id)}"><button type="submit" class="danger" data-confirm="Remove dead letter ${id}? Its payload is lost for good.">Remove</button></form></td>
</tr>`;
}

function filterBar(view: DeadLetterPageView): SafeHtml {
  const { app = '', code = '' } = view.filter;
  const replayAll =
    view.total === 0
      ? html``
      : html`<form method="post" action="${REPLAY_ALL_PATH}"><input type="hidden" name="app" value="${app}"><input type="hidden" name="code" value="${code}">
<button type="submit" data-confirm="Replay all ${view.total} dead letter(s) shown into the queues they came from?">Replay all ${view.total}</button></form>`;
  return html`<div class="bar"><form method="get" action="${DEAD_LETTERS_PATH}">
<label>App <input name="app" value="${app}" size="12"></label> <label>Code <input name="code" value="${code}" size="16"></label>
<button type="submit">Filter</button></form>${replayAll}</div>`;
}

/** The whole page. Every value from a dead letter goes through `html`, which escapes it. */
export function renderDeadLetterPage(view: DeadLetterPageView): string {
  const shown = view.letters.length < view.total ? html` (oldest ${view.letters.length} shown)` : html``;
  const table =
    view.letters.length === 0
      ? html`<p>No dead letters${view.filter.app || view.filter.code ? ' match this filter' : ''}.</p>`
      : html`<table><thead><tr><th>Failed</th><th>Queue</th><th>App</th><th>Code</th><th>Reason / payload</th><th>Job</th><th>Actions</th></tr></thead>
<tbody>${view.letters.map(row)}</tbody></table>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Dead letters · WeChat CS</title><link rel="stylesheet" href="${PAGE_STYLE_PATH}">
<script src="${PAGE_SCRIPT_PATH}" defer></script></head>
<body><header><a href="/">← Queues</a><h1>Dead letters</h1><span>${view.total} in ${deadLetterQueue.name}${shown}</span></header>
<main>${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}${filterBar(view)}${table}</main></body></html>
`.value;
}
