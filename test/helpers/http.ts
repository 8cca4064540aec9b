// A raw HTTP/2 client with the admin client certificate, for tests that need to see exact
// status codes, headers and bodies (what client-go sees under kubectl).
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ApiResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: any;
}

export class ApiClient {
  readonly session: ClientHttp2Session;
  /**
   * Presents the admin certificate, none (`anonymous`), or the given PEM files (`clientCert`: a
   * certificate the server should refuse, for example).
   */
  constructor(url: string, dataDir: string, opts: { anonymous?: boolean; clientCert?: { cert: string; key: string } } = {}) {
    const pki = join(dataDir, 'pki');
    const own = opts.clientCert ?? { cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') };
    this.session = connect(url, {
      ca: readFileSync(join(pki, 'ca.crt')),
      ...(opts.anonymous ? {} : { cert: readFileSync(own.cert), key: readFileSync(own.key) }),
    });
    this.session.on('error', () => undefined);
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const st = this.session.request(
        { ':method': method, ':path': path, 'content-type': 'application/json', accept: 'application/json', ...headers },
        // node ends GET/DELETE streams at once unless told a body follows.
        { endStream: payload === undefined },
      );
      let text = '';
      let status = 0;
      let resHeaders: IncomingHttpHeaders = {};
      st.setEncoding('utf8');
      st.on('response', (h) => {
        status = Number(h[':status']);
        resHeaders = h;
      });
      st.on('data', (c: string) => (text += c));
      st.on('end', () => {
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status, headers: resHeaders, text, body: parsed });
      });
      st.on('error', reject);
      st.end(payload);
    });
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }
  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  put(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PUT', path, body, headers);
  }
  patch(path: string, body: unknown, type = 'application/merge-patch+json') {
    return this.request('PATCH', path, body, { 'content-type': type });
  }
  delete(path: string, body?: unknown) {
    return this.request('DELETE', path, body);
  }

  close(): void {
    this.session.close();
  }
}
