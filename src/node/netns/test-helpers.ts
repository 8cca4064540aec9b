// Helpers for the namespace tests: unique cluster names, tiny HTTP servers inside namespaces,
// curl from inside namespaces, and a snapshot of the host's network namespace.
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ClusterNetwork } from './cluster-network.js';

const run = promisify(execFile);

export function uniqueClusterName(tag: string): string {
  return `t${tag}${process.pid}${randomBytes(3).toString('hex')}`;
}

// Answers every request with who it is and the source address it saw, so a test can check that
// Pod-to-Pod traffic is routed without NAT.
const serverScript = `
const [name, host, port] = process.argv.slice(1);
require('node:http').createServer((req, res) => {
  res.end(JSON.stringify({ name, remote: req.socket.remoteAddress }));
}).listen(Number(port), host, () => console.log('listening'));
`;

export interface TestServer {
  readonly child: ChildProcess;
  stop(): void;
}

export async function startServer(net: ClusterNetwork, namespace: string, name: string, host: string, port: number): Promise<TestServer> {
  const child = net.spawnIn(namespace, [process.execPath, '-e', serverScript, name, host, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server ${name} exited ${code}: ${err}`)));
    child.once('error', reject);
  });
  return { child, stop: () => void child.kill('SIGKILL') };
}

export interface ServerReply {
  readonly name: string;
  readonly remote: string;
}

export async function curlFrom(net: ClusterNetwork, namespace: string, url: string): Promise<ServerReply> {
  const { stdout } = await net.exec(namespace, ['curl', '-sS', '--noproxy', '*', '--max-time', '5', url]);
  return JSON.parse(stdout) as ServerReply;
}

export interface HostSnapshot {
  readonly links: unknown;
  readonly addresses: unknown;
  readonly routes: unknown;
  readonly rules: unknown;
  readonly ipForward: string;
}

/** The host namespace's links, addresses, routes, rules and ip_forward (read-only commands). */
export async function hostSnapshot(): Promise<HostSnapshot> {
  const json = async (args: string[]): Promise<unknown> => JSON.parse((await run('ip', ['-json', ...args])).stdout || '[]');
  return {
    links: await json(['link', 'show']),
    addresses: await json(['addr', 'show']),
    routes: await json(['route', 'show', 'table', 'all']),
    rules: await json(['rule', 'show']),
    ipForward: (await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(),
  };
}

/** True while `pid` runs; a zombie (killed, not yet reaped by its new parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
