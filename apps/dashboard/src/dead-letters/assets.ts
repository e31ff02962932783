import { DEAD_LETTERS_PATH } from './paths.js';

// Served as files rather than inline so the page's CSP can forbid inline
// script and style outright: payload text can never turn into either.

export const PAGE_SCRIPT_PATH = `${DEAD_LETTERS_PATH}/page.js`;
export const PAGE_STYLE_PATH = `${DEAD_LETTERS_PATH}/page.css`;

/** Asks before the actions that cannot be undone from here. */
export const PAGE_SCRIPT = `document.addEventListener('submit', (event) => {
  const question = event.submitter && event.submitter.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
`;

export const PAGE_STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1e293b;background:#f8fafc}
header,main{padding:12px 24px}
header{background:#0f172a;color:#f8fafc;display:flex;gap:24px;align-items:baseline}
header a{color:#93c5fd}
h1{font-size:18px;margin:0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e2e8f0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f1f5f9;font-weight:600}
code{font-size:12px}
pre{white-space:pre-wrap;word-break:break-all;font-size:12px;margin:4px 0;max-height:320px;overflow:auto;background:#f1f5f9;padding:6px}
.notice{background:#dcfce7;border:1px solid #86efac;padding:8px;margin:0 0 12px}
.bar{display:flex;gap:16px;align-items:center;margin-bottom:12px}
form{display:inline}
button{cursor:pointer}
button.danger{color:#b91c1c}
.reason{max-width:520px}
`;

/** Nothing but same-origin files and same-origin form posts; no framing (clickjacking the buttons). */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
