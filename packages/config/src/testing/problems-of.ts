import { ConfigError } from '../config-error.js';

/** The problems a config loader reports, one string per bad or missing variable; throws if it accepts. */
export function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}
