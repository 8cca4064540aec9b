// Decodes a watch body: newline-delimited `{"type": …, "object": …}` JSON, as kube-apiserver
// writes it for `Accept: application/json`. Chunk boundaries fall anywhere, so bytes are buffered
// until a newline; a stream that stops without 'end' is a broken connection, not a clean finish.
import type { Readable } from 'node:stream';
import type { Status } from '../api/errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: T }
  | { readonly type: 'ERROR'; readonly object: Status };

export function readWatchStream<T>(body: Readable, onEvent: (ev: WatchEvent<T>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (err) {
        body.destroy();
        reject(err);
      } else resolve();
    };
    const handleLine = (line: string) => {
      if (line.trim() === '') return;
      let ev: WatchEvent<T>;
      try {
        ev = JSON.parse(line) as WatchEvent<T>;
      } catch {
        throw new Error(`malformed watch event: ${line.slice(0, 200)}`);
      }
      if (!ev || typeof ev.type !== 'string') throw new Error(`malformed watch event: ${line.slice(0, 200)}`);
      onEvent(ev);
    };
    body.setEncoding('utf8');
    body.on('data', (chunk: string) => {
      if (done) return;
      pending += chunk;
      let nl: number;
      try {
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          handleLine(line);
          if (done) return;
        }
      } catch (err) {
        finish(err as Error);
      }
    });
    body.on('end', () => {
      try {
        handleLine(pending);
        finish();
      } catch (err) {
        finish(err as Error);
      }
    });
    body.on('error', (err) => finish(err));
    body.on('close', () => finish(new Error('watch stream closed before it ended')));
  });
}
