// Parses a request path the way k8s.io/apiserver's RequestInfoFactory does:
//   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
//   /apis/{group}/{version}/...
// Anything that is not a resource path is a "non-resource" request (/version, /healthz, …).

export interface ResourceRequestInfo {
  readonly isResourceRequest: true;
  readonly verb: string; // get list watch create update patch delete deletecollection
  readonly group: string;
  readonly version: string;
  readonly namespace: string;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
  /** Path parts after the subresource (services/proxy/{path...}). */
  readonly rest: readonly string[];
}

export interface NonResourceRequestInfo {
  readonly isResourceRequest: false;
  readonly path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

/** `path` is the decoded, unnormalized request path (see request-uri.ts). */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter((p) => p !== '');
  let i = 0;
  let group = '';
  if (parts[0] === 'api') {
    if (parts.length < 3) return { isResourceRequest: false, path };
    i = 1;
  } else if (parts[0] === 'apis') {
    if (parts.length < 4) return { isResourceRequest: false, path };
    group = parts[1]!;
    i = 2;
  } else {
    return { isResourceRequest: false, path };
  }
  const version = parts[i++]!;
  // `path` is already percent-decoded once (Go's URL.Path): decoding again would turn `%252e`
  // into `.` and an escaped `%` into a crash.
  let rest = parts.slice(i);
  let namespace = '';
  // "namespaces/{ns}/{resource}" addresses a namespaced resource; "namespaces/{ns}" alone is the
  // Namespace object itself (and namespaces/{ns}/status|finalize its subresources).
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1]!;
    if (rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
      rest = rest.slice(2);
    } else {
      namespace = '';
    }
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest[2] ?? '';
  const tail = rest.slice(3);

  let verb: string;
  const m = method.toUpperCase();
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  switch (m) {
    case 'GET':
    case 'HEAD':
      verb = name ? 'get' : isWatch ? 'watch' : 'list';
      if (name && isWatch) verb = 'watch';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = m.toLowerCase();
  }
  return { isResourceRequest: true, verb, group, version, namespace, resource, name, subresource, rest: tail };
}
