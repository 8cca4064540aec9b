// `agnhost pause`: prints "Paused" and blocks. Upstream exits 1 on SIGINT and 2 on SIGTERM
// (so a deleted pause Pod's container ends with exit code 2, as in a real cluster).
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';

export const pauseCommand: AgnhostCommand = {
  name: 'pause',
  use: 'pause',
  short: 'Pauses the execution',
  flags: {},
  args: noArgs,
  run() {
    process.once('SIGINT', () => process.exit(1));
    process.once('SIGTERM', () => process.exit(2));
    process.stdout.write('Paused\n');
    setInterval(() => undefined, 1 << 30);
  },
};
