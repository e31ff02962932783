/** The support API as the page calls it: the session cookie goes by itself, the CSRF token on every write. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}`);
  }
}

export interface Api {
  readonly get: <T>(path: string) => Promise<T>;
  readonly post: <T>(path: string, body: unknown) => Promise<T>;
  readonly upload: <T>(path: string, form: FormData) => Promise<T>;
}

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 401) {
    // The session ended (expired, signed out elsewhere, account removed): back to sign-in.
    window.location.assign('/signin');
  }
  if (!res.ok) {
    const error = body.error;
    throw new HttpError(res.status, typeof error === 'string' ? error : typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : 'http_error', body);
  }
  return body as T;
}

export function createApi(csrfToken: string): Api {
  const writeHeaders = { 'X-CSRF-Token': csrfToken };
  return {
    get: async (path) => answer(await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })),
    post: async (path, body) =>
      answer(await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { ...writeHeaders, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })),
    upload: async (path, form) => answer(await fetch(path, { method: 'POST', credentials: 'same-origin', headers: writeHeaders, body: form })),
  };
}

/** Who is signed in, with the CSRF token; undefined without a session. */
export async function currentSession(): Promise<{ name: string; csrfToken: string } | undefined> {
  const res = await fetch('/auth/session', { credentials: 'same-origin' });
  if (res.status === 401) return undefined;
  if (!res.ok) throw new HttpError(res.status, 'session', {});
  return (await res.json()) as { name: string; csrfToken: string };
}
