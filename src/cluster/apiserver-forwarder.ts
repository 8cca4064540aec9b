// Runs inside the underlay network namespace: accepts Pods' and nodes' connections to the
// control-plane address (CONTROL_PLANE_ADDRESS:DEFAULT_SECURE_PORT, the `kubernetes` Service endpoint) and relays them to
// the API server's TLS unix socket. The bytes stay TLS end to end, so clients still authenticate.
// Usage: node apiserver-forwarder.js <listen-host> <listen-port> <tls-socket-path>
import { connect, createServer } from 'node:net';

const [host, port, socketPath] = process.argv.slice(2);
if (!host || !port || !socketPath) {
  process.stderr.write('usage: apiserver-forwarder.js HOST PORT TLS_SOCKET\n');
  process.exit(2);
}

const server = createServer((client) => {
  const upstream = connect(socketPath);
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.listen(Number(port), host, () => process.stdout.write(`forwarding ${host}:${port} -> ${socketPath}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
