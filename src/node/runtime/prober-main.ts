// The prober helper: started inside a node's network namespace, it runs HTTP/TCP probes for an
// agent that lives elsewhere. One JSON request per stdin line, one JSON answer per stdout line.
import { createInterface } from 'node:readline';
import { directProber } from './net-prober.js';
import type { NetProbeRequest } from './net-prober.js';

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line) as NetProbeRequest & { id: number };
  void directProber.probe(req).then((r) => process.stdout.write(JSON.stringify({ id: req.id, ...r }) + '\n'));
});
rl.on('close', () => process.exit(0));
