import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits: unmistakable in a log, valid for every field that takes them. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

export interface Secret {
  readonly name: string;
  readonly value: string;
}

/** Every (secret, log line) pair where the line contains the secret; the line is cut so the report does not leak it further. */
export function findLeaks(secrets: readonly Secret[], lines: readonly { source: string; line: string }[]): string[] {
  const leaks: string[] = [];
  for (const { source, line } of lines) {
    for (const secret of secrets) {
      const at = line.indexOf(secret.value);
      if (at !== -1) leaks.push(`${secret.name} in ${source}: …${line.slice(Math.max(0, at - 80), at)}<${secret.name}>…`);
    }
  }
  return leaks;
}
