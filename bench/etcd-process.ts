// Runs a single-member etcd (Debian's etcd-server) on loopback in a temp dir, with its default
// durability: every raft batch is fsynced to the WAL before the client is answered.
import { spawn, spawnSync } from 'node:child_process';
import { Etcd3 } from 'etcd3';
import { etcdBinary, freePort } from '../src/storage/etcd/etcd-server.js';
import { stopChild, tempDir, removeDir, trackChild } from './cleanup.js';

export { etcdBinary };

export interface EtcdProcess {
  readonly pid: number;
  readonly endpoint: string;
  readonly version: string;
  readonly client: Etcd3;
  stop(): Promise<void>;
}

export async function startEtcdProcess(bin: string): Promise<EtcdProcess> {
  const dataDir = tempDir('etcd');
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const version = /etcd Version: (\S+)/.exec(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
  const child = spawn(
    bin,
    [
      '--name', 'bench',
      '--data-dir', dataDir,
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `bench=${peer}`,
      '--initial-cluster-state', 'new',
      '--quota-backend-bytes', String(4 * 1024 ** 3),
      '--logger', 'zap',
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dataDir },
  );
  trackChild(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  // kube-apiserver lifts gRPC's 4 MiB receive limit too (MaxCallRecvMsgSize = MaxInt32).
  const etcd = new Etcd3({ hosts: client, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
  const stop = async () => {
    etcd.close();
    await stopChild(child);
    removeDir(dataDir);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}: ${stderr}`);
    try {
      await etcd.get('health-probe').string();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd did not become ready in 20 s: ${String(err)} ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { pid: child.pid!, endpoint: client, version, client: etcd, stop };
}
