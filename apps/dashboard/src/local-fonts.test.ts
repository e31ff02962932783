import { describe, expect, it } from 'vitest';
import { withoutGoogleFonts } from './local-fonts.js';

describe('withoutGoogleFonts', () => {
  it("drops bull-board's Google Fonts link and keeps every other link", () => {
    const head = `<link rel="icon" href="static/favicon.svg">
    <link href="https://fonts.googleapis.com/css2?family=IBM+Plex+Sans:wght@400;500;600&family=IBM+Plex+Mono:wght@400;500&display=swap" rel="stylesheet">
<link href="static/css/main.css" rel="stylesheet">`;
    expect(withoutGoogleFonts(head)).toBe(`<link rel="icon" href="static/favicon.svg">
    <link href="static/css/main.css" rel="stylesheet">`);
  });
});
