import type { RequestHandler } from 'express';

// bull-board's page links IBM Plex from Google Fonts. The dashboard must work
// where the internet is out of reach and must not tell Google who opens it;
// without the link the board falls back to its stylesheet's system fonts.
const GOOGLE_FONTS_LINK = /<link\b[^>]{0,400}\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com\/[^"]{0,400}"[^>]{0,400}>\s*/g;

export function withoutGoogleFonts(html: string): string {
  return html.replace(GOOGLE_FONTS_LINK, '');
}

/**
 * Drops the Google Fonts link from what the routes after it render (bull-board
 * renders its page through Express's `res.render`), so the page asks nothing
 * of another origin.
 */
export const localFontsOnly: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object) => {
    render(view, options ?? {}, (error: Error | null, html?: string) => {
      if (error) {
        next(error);
        return;
      }
      res.send(withoutGoogleFonts(html ?? ''));
    });
  });
  next();
};
