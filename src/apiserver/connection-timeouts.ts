// Connection deadlines for the TLS listeners, as kube-apiserver's Go server has them
// (k8s.io/apiserver/pkg/server/secure_serving.go: ReadHeaderTimeout 32 s, IdleTimeout 90 s for
// HTTP/1.1 and HTTP/2). Without them a client that connects and sends nothing — no TLS
// ClientHello, no HTTP/2 preface, no request line — holds a file descriptor forever, and enough
// of them lock every other client out.
//
// The TLS handshake deadline is tls.Server's own `handshakeTimeout`. After the handshake:
//   - HTTP/2: the client preface (its SETTINGS) must arrive within readHeaderTimeout; a session
//     with no open stream for idleTimeout is closed (GOAWAY). Open streams — watches, logs -f —
//     keep it alive however quiet they are.
//   - HTTP/1.1: the first request's headers must arrive within readHeaderTimeout; between
//     requests the connection may idle for idleTimeout. An upgraded connection (exec,
//     port-forward) belongs to its handler and has no deadline here.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Http2SecureServer, Http2Session, ServerHttp2Stream } from 'node:http2';
import type { RawRequest, RawResponse } from './http.js';

export interface ConnectionTimeouts {
  /** TLS handshake (ClientHello to Finished). Default 10 s. */
  readonly handshakeTimeoutMs?: number;
  /** Connection open to the first request's headers (HTTP/1.1) or the preface (HTTP/2). Default 32 s. */
  readonly readHeaderTimeoutMs?: number;
  /** No request in flight (HTTP/1.1) or no open stream (HTTP/2). Default 90 s. */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_CONNECTION_TIMEOUTS = {
  handshakeTimeoutMs: 10_000,
  readHeaderTimeoutMs: 32_000,
  idleTimeoutMs: 90_000,
} as const satisfies Required<ConnectionTimeouts>;

export function resolveTimeouts(t: ConnectionTimeouts | undefined): Required<ConnectionTimeouts> {
  return { ...DEFAULT_CONNECTION_TIMEOUTS, ...Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => v !== undefined)) };
}

/** One deadline per connection at a time; re-arming replaces it. */
class Deadline {
  #timer?: NodeJS.Timeout;
  arm(ms: number, expire: () => void): void {
    this.disarm();
    this.#timer = setTimeout(expire, ms);
    this.#timer.unref();
  }
  disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

interface Http1State {
  readonly deadline: Deadline;
  active: number;
  upgraded: boolean;
}

/** Installs the post-handshake deadlines on an HTTP/2 (+HTTP/1.1 fallback) TLS server. */
export function enforceConnectionTimeouts(server: Http2SecureServer, timeouts: Required<ConnectionTimeouts>): void {
  const http1 = new WeakMap<Socket, Http1State>();

  // The server's own 'secureConnection' listener (registered first) creates an h2 connection's
  // session and emits 'session' synchronously; the session hides its socket, and destroying
  // only the session leaves the TCP connection open, so the two are paired here.
  let created: Http2Session | undefined;
  server.on('session', (session: Http2Session) => (created = session));

  server.on('secureConnection', (socket: TLSSocket) => {
    const session = created;
    created = undefined;
    if (socket.alpnProtocol === 'h2' && session) return watchSession(session, socket, timeouts);
    const state: Http1State = { deadline: new Deadline(), active: 0, upgraded: false };
    http1.set(socket, state);
    state.deadline.arm(timeouts.readHeaderTimeoutMs, () => socket.destroy());
    socket.once('close', () => state.deadline.disarm());
  });

  // 'request' fires for HTTP/1.1 fallback requests too; only those are tracked here.
  server.on('request', (req: RawRequest, res: RawResponse) => {
    if (req.httpVersionMajor >= 2) return;
    const socket = req.socket as Socket;
    const state = http1.get(socket);
    if (!state) return;
    state.active++;
    state.deadline.disarm();
    res.once('close', () => {
      state.active--;
      if (state.active === 0 && !state.upgraded && !socket.destroyed) state.deadline.arm(timeouts.idleTimeoutMs, () => socket.destroy());
    });
  });

  server.on('upgrade', (_req: RawRequest, socket: Socket) => {
    const state = http1.get(socket);
    if (!state) return;
    state.upgraded = true;
    state.deadline.disarm();
  });

}

function watchSession(session: Http2Session, socket: Socket, timeouts: Required<ConnectionTimeouts>): void {
  const deadline = new Deadline();
  let open = 0;
  const goAway = () => {
    // GOAWAY, then give the peer a moment to read it before the connection goes.
    if (!session.closed && !session.destroyed) session.close();
    const t = setTimeout(drop, 1000);
    t.unref();
  };
  const drop = () => {
    session.destroy();
    socket.destroy();
  };
  deadline.arm(timeouts.readHeaderTimeoutMs, drop);
  session.once('remoteSettings', () => {
    if (open === 0) deadline.arm(timeouts.idleTimeoutMs, goAway);
  });
  session.on('stream', (stream: ServerHttp2Stream) => {
    open++;
    deadline.disarm();
    stream.once('close', () => {
      open--;
      if (open === 0 && !session.destroyed) deadline.arm(timeouts.idleTimeoutMs, goAway);
    });
  });
  socket.once('close', () => deadline.disarm());
}
