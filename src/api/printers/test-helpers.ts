// Shared fixtures for the printer tests: a fixed clock and timestamps relative to it.
export const NOW = new Date('2025-06-01T12:00:00Z');

const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** RFC3339 timestamp `ms` before NOW (negative: in the future). */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}
