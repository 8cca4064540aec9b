// agnhost's root command: picks the subcommand, parses its flags the cobra way and runs it.
// Subcommands svcnet does not build in fail loudly with their name, never with a fake success.
import type { AgnhostCommand } from './command.js';
import { connectCommand } from './connect.js';
import { dnsServerListCommand, dnsSuffixCommand, etcHostsCommand } from './dns.js';
import { UsageError, checkArgs, parseFlags, renderFlagUsage } from './flags.js';
import { netexecCommand } from './netexec.js';
import { pauseCommand } from './pause.js';
import { porterCommand } from './porter.js';
import { serveHostnameCommand } from './serve-hostname.js';
import { testWebserverCommand } from './test-webserver.js';

/** What `--version` reports: the agnhost line (2.5x) whose subcommands and flags this follows. */
export const agnhostVersion = '2.53';

export const agnhostCommands: ReadonlyMap<string, AgnhostCommand> = new Map(
  [
    connectCommand,
    dnsServerListCommand,
    dnsSuffixCommand,
    etcHostsCommand,
    netexecCommand,
    pauseCommand,
    porterCommand,
    serveHostnameCommand,
    testWebserverCommand,
  ].map((c) => [c.name, c]),
);

/** Upstream subcommands that svcnet does not implement (named so the error can say so). */
export const unimplementedAgnhostCommands: readonly string[] = [
  'audit-proxy',
  'crd-conversion-webhook',
  'entrypoint-tester',
  'fake-gitserver',
  'fake-registry-server',
  'grpc-health-checking',
  'guestbook',
  'h2c-server',
  'http-echo',
  'inclusterclient',
  'liveness',
  'logs-generator',
  'mounttest',
  'mtlsclient',
  'mtlsserver',
  'net',
  'nettest',
  'no-snat-test',
  'no-snat-test-proxy',
  'nonewprivs',
  'podcertificatesigner',
  'port-forward-tester',
  'resource-consumer-controller',
  'tcp-reset',
  'test-service-account-issuer-discovery',
  'webhook',
];

/** Why a subcommand cannot run, or undefined when it is built in (or no subcommand is named). */
export function unsupportedSubcommand(name: string | undefined): string | undefined {
  if (name === undefined || agnhostCommands.has(name)) return undefined;
  const builtIn = [...agnhostCommands.keys()].join(', ');
  if (unimplementedAgnhostCommands.includes(name)) {
    return `svcnet's built-in agnhost does not implement the "${name}" subcommand (built in: ${builtIn})`;
  }
  return `unknown command "${name}" for "app"`;
}

/** The first argument that is not a flag: cobra lets root flags (klog's) come first. */
export function subcommandName(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

function rootUsage(): string {
  const rows = [...agnhostCommands.values()].map((c) => `  ${c.name.padEnd(18)}${c.short}`);
  return `Usage:\n  app [command]\n\nAvailable Commands:\n${rows.join('\n')}\n\nUse "app [command] --help" for more information about a command.\n`;
}

function commandUsage(c: AgnhostCommand): string {
  return `Usage:\n  app ${c.use} [flags]\n\nFlags:\n${renderFlagUsage(c.flags)}\n`;
}

/** Runs agnhost with argv (without the program name). */
export async function runAgnhost(argv: readonly string[]): Promise<void> {
  const name = subcommandName(argv);
  if (name === undefined) {
    if (argv.includes('--version')) return void process.stdout.write(`app version ${agnhostVersion}\n`);
    return void process.stdout.write(rootUsage());
  }
  const command = agnhostCommands.get(name);
  if (command === undefined) {
    process.stderr.write(`Error: ${unsupportedSubcommand(name)}\nRun 'app --help' for usage.\n`);
    process.exit(1);
  }
  const rest = [...argv];
  rest.splice(argv.indexOf(name), 1);
  let flags;
  try {
    flags = parseFlags(command.flags, rest);
    if (flags.help) return void process.stdout.write(`${command.short}\n\n${commandUsage(command)}`);
    checkArgs(flags.args, command.args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`Error: ${err.message}\n${commandUsage(command)}\n`);
    process.exit(1);
  }
  await command.run(flags);
}
