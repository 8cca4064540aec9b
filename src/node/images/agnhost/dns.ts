// `agnhost dns-suffix`, `dns-server-list` and `etc-hosts`: print what the Pod's resolver files
// say. The DNS e2e tests run these through `kubectl exec` to check the kubelet-made files.
import { readFileSync } from 'node:fs';
import type { AgnhostCommand } from './command.js';
import { noArgs } from './command.js';

/** The words after the first line starting with `prefix` ("search", "nameserver"). */
export function resolvConfField(resolvConf: string, prefix: 'search' | 'nameserver'): string[] {
  for (const line of resolvConf.split('\n')) {
    if (line.startsWith(prefix)) return line.split(' ').slice(1);
  }
  // Upstream panics with this text for both fields.
  throw new Error('Could not find DNS search list!');
}

function printField(prefix: 'search' | 'nameserver'): void {
  try {
    process.stdout.write(resolvConfField(readFileSync('/etc/resolv.conf', 'utf8'), prefix).join(',') + '\n');
  } catch (err) {
    process.stderr.write(`panic: ${(err as Error).message}\n`);
    process.exit(2);
  }
}

export const dnsSuffixCommand: AgnhostCommand = {
  name: 'dns-suffix',
  use: 'dns-suffix',
  short: "Prints the host's DNS suffix list",
  flags: {},
  args: noArgs,
  run: () => printField('search'),
};

export const dnsServerListCommand: AgnhostCommand = {
  name: 'dns-server-list',
  use: 'dns-server-list',
  short: "Prints the host's DNS Server list",
  flags: {},
  args: noArgs,
  run: () => printField('nameserver'),
};

export const etcHostsCommand: AgnhostCommand = {
  name: 'etc-hosts',
  use: 'etc-hosts',
  short: "Prints the host's /etc/hosts file",
  flags: {},
  args: noArgs,
  run() {
    try {
      process.stdout.write(readFileSync('/etc/hosts', 'utf8') + '\n');
    } catch (err) {
      process.stderr.write(`panic: ${(err as Error).message}\n`);
      process.exit(2);
    }
  },
};
