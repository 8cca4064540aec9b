import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from './errors.js';
import { decodePodLogOptions, parsePodLogOptions, podLogOptionsQuery, podLogSinceMs } from './pod-logs.js';

const q = (s: string) => new URLSearchParams(s);

describe('PodLogOptions from a query', () => {
  it('decodes every upstream field', () => {
    assert.deepEqual(decodePodLogOptions(q('container=c&follow=true&previous=1&sinceSeconds=5&timestamps=true&tailLines=2&limitBytes=9&insecureSkipTLSVerifyBackend=true')), {
      container: 'c',
      follow: true,
      previous: true,
      timestamps: true,
      tailLines: 2,
      limitBytes: 9,
      sinceSeconds: 5,
      sinceTime: undefined,
      insecureSkipTLSVerifyBackend: true,
    });
  });
  it('refuses both since options with the forbidden error, and a bad time as time.Parse does', () => {
    assert.throws(() => parsePodLogOptions('p', q('sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z')), (e: StatusError) => e.code === 422 && e.message === 'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
    assert.throws(() => parsePodLogOptions('p', q('sinceTime=yesterday')), (e: StatusError) => e.code === 400 && e.message.startsWith('parsing time "yesterday"'));
  });
  it('forwards only what is set and resolves since against a clock', () => {
    assert.equal(podLogOptionsQuery(parsePodLogOptions('p', q('tailLines=0'))).toString(), 'tailLines=0');
    assert.equal(podLogSinceMs({ sinceSeconds: 10 }, 100_000), 90_000);
    assert.equal(podLogSinceMs({ sinceTime: '1970-01-01T00:01:00Z' }, 0), 60_000);
    assert.equal(podLogSinceMs({}, 0), undefined);
  });
});
