import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from './duration.js';
import { DAY, HOUR, MINUTE, NOW, ago } from './test-helpers.js';

const S = 1000;
const MS = 1;
const YEAR = 365 * DAY;

// Transcribed from apimachinery util/duration TestHumanDuration and TestHumanDurationBoundaries.
const cases: [number, string][] = [
  [S, '1s'],
  [70 * S, '70s'],
  [190 * S, '3m10s'],
  [70 * MINUTE, '70m'],
  [47 * HOUR, '47h'],
  [49 * HOUR, '2d1h'],
  [(8 * 24 + 2) * HOUR, '8d'],
  [367 * DAY, '367d'],
  [(365 * 2 * 24 + 25) * HOUR, '2y1d'],
  [(365 * 8 * 24 + 2) * HOUR, '8y'],
  [-2 * S, '<invalid>'],
  [-2 * S + MS, '0s'],
  [0, '0s'],
  [S - MS, '0s'],
  [2 * MINUTE - MS, '119s'],
  [2 * MINUTE, '2m'],
  [2 * MINUTE + S, '2m1s'],
  [10 * MINUTE - MS, '9m59s'],
  [10 * MINUTE, '10m'],
  [10 * MINUTE + S, '10m'],
  [3 * HOUR - MS, '179m'],
  [3 * HOUR, '3h'],
  [3 * HOUR + MINUTE, '3h1m'],
  [8 * HOUR - MS, '7h59m'],
  [8 * HOUR, '8h'],
  [8 * HOUR + 59 * MINUTE, '8h'],
  [2 * DAY - MS, '47h'],
  [2 * DAY, '2d'],
  [2 * DAY + HOUR, '2d1h'],
  [8 * DAY - MS, '7d23h'],
  [8 * DAY, '8d'],
  [8 * DAY + 23 * HOUR, '8d'],
  [2 * YEAR - MS, '729d'],
  [2 * YEAR, '2y'],
  [2 * YEAR + 23 * HOUR, '2y'],
  [2 * YEAR + 23 * HOUR + 59 * MINUTE, '2y'],
  [2 * YEAR + DAY - MS, '2y'],
  [2 * YEAR + DAY, '2y1d'],
  [3 * YEAR, '3y'],
  [7 * YEAR, '7y'],
  [8 * YEAR - MS, '7y364d'],
  [8 * YEAR, '8y'],
  [8 * YEAR + 364 * DAY, '8y'],
  [9 * YEAR, '9y'],
];

test('humanDuration matches upstream thresholds', () => {
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

// Transcribed from printers_test.go TestTranslateTimestampSince.
test('translateTimestampSince', () => {
  const table: [string | undefined, string][] = [
    [ago(-2100), '<invalid>'],
    [ago(-1900), '0s'],
    [ago(0), '0s'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    [ago(30 * S), '30s'],
    [ago(5 * MINUTE), '5m'],
    [ago(100 * MINUTE), '100m'],
    [ago(2 * DAY), '2d'],
    [ago(90 * DAY), '90d'],
    [ago(10 * YEAR), '10y'],
  ];
  for (const [ts, want] of table) assert.equal(translateTimestampSince(ts, NOW), want, `since ${ts}`);
});
