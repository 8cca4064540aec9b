// Non-resource paths: /version, health, /metrics, discovery and OpenAPI.
import { apiErrors, StatusError } from '../api/errors.js';
import { header, writeJSON, writeText, type ApiRequest } from './http.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiResourceList,
  legacyAPIGroup,
  legacyAPIGroupList,
  legacyAPIVersions,
  negotiateDiscovery,
} from './discovery.js';
import { runHealthChecks } from './health.js';
import { openAPIV3Document, openAPIV3Index } from './openapi.js';
import type { ApiServerOptions } from './server.js';

/**
 * The version we report. The gcloud kubectl "dispatcher" on these machines execs the kubectl
 * whose minor matches this, so it must say 1.32 for the default kubectl to be 1.32.
 */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-svcnet',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: 'svcnet (node ' + process.version + ')',
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export async function routeNonResource(req: ApiRequest, opts: ApiServerOptions, port: number): Promise<void> {
  const path = req.path.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  if (path === '/version') return writeJSON(req, 200, SERVER_VERSION);
  for (const ep of ['/healthz', '/livez', '/readyz'] as const) {
    if (path === ep || path.startsWith(ep + '/')) {
      const sub = path.slice(ep.length + 1);
      const checks = opts.registry.healthChecks(ep === '/readyz');
      const r = await runHealthChecks(ep.slice(1), checks, sub, req.query);
      return writeText(req, r.code, r.body);
    }
  }
  if (path === '/metrics') {
    const text = await opts.metrics.registry.metrics();
    return writeText(req, 200, text, opts.metrics.registry.contentType);
  }
  if (path === '/api' || path === '/apis') {
    const core = path === '/api';
    const v = negotiateDiscovery(header(req, 'accept'));
    if (v !== 'legacy') return writeJSON(req, 200, aggregatedDiscovery(core, v), aggregatedContentType(v));
    return writeJSON(req, 200, core ? legacyAPIVersions(`127.0.0.1:${port}`) : legacyAPIGroupList());
  }
  if (path === '/api/v1') return writeJSON(req, 200, apiResourceList('', 'v1'));
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m) {
    const doc = m[2] ? apiResourceList(m[1]!, m[2]) : legacyAPIGroup(m[1]!);
    if (doc) return writeJSON(req, 200, doc);
  }
  if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') return (await import('./openapi-v2/index.js')).serveOpenAPIV2(req);
  if (path === '/openapi/v3') return writeJSON(req, 200, openAPIV3Index());
  if (path.startsWith('/openapi/v3/')) {
    const doc = openAPIV3Document(path.slice('/openapi/v3/'.length));
    if (doc) return writeJSON(req, 200, doc);
  }
  if (path === '/') {
    return writeJSON(req, 200, {
      paths: ['/api', '/api/v1', '/apis', ...legacyAPIGroupList().groups.map((g) => `/apis/${g.preferredVersion.groupVersion}`), '/healthz', '/livez', '/metrics', '/openapi/v3', '/readyz', '/version'],
    });
  }
  throw notFoundPage();
}

function notFoundPage() {
  const e = apiErrors.notFound({ group: '', resource: '' }, '');
  // Upstream answers unknown paths with this generic 404 Status.
  return Object.assign(e, { message: 'the server could not find the requested resource' }) as typeof e & { details?: undefined };
}
