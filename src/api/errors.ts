// The catalogue of API errors, each rendering itself as a metav1.Status exactly as
// k8s.io/apimachinery/pkg/api/errors builds it (messages are part of the API: kubectl prints them).
import type { FieldError } from './field-errors.js';
import type { ListMeta, Status as MetaStatus, StatusCause, StatusDetails } from './types/meta/v1.js';

export type { StatusCause, StatusDetails } from './types/meta/v1.js';

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

/** metav1.Status as the API server writes it: TypeMeta, metadata, status and code always present. */
export interface Status extends MetaStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: ListMeta;
  status: 'Success' | 'Failure';
  code: number;
}

/** `services` or `endpointslices.discovery.k8s.io`, as GroupResource.String() prints it. */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** `Service` or `EndpointSlice.discovery.k8s.io`, as GroupKind.String() prints it. */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    // Errors passed through from storage carry no reason; upstream omits the field then.
    if (!this.reason) delete s.reason;
    if (this.details) s.details = this.details;
    return s;
  }
}

function details(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: gr.resource };
  if (gr.group) d.group = gr.group;
  return d;
}

export const apiErrors = {
  notFound(gr: GroupResource, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(gr, name));
  },
  alreadyExists(gr: GroupResource, name: string): StatusError {
    return new StatusError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, details(gr, name));
  },
  /** The optimistic-concurrency failure kubectl users know. */
  conflict(gr: GroupResource, name: string, err: string): StatusError {
    return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${err}`, details(gr, name));
  },
  objectModified(gr: GroupResource, name: string): StatusError {
    return apiErrors.conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
  },
  /** 422 with causes; the message lists the errors like errors.NewInvalid. */
  invalid(group: string, kind: string, name: string, errs: readonly FieldError[]): StatusError {
    const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: e.body(), field: e.field }));
    const uniq: string[] = [];
    for (const e of errs) {
      const t = e.toString();
      if (!uniq.includes(t)) uniq.push(t);
    }
    const agg = uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
    const d: StatusDetails = { name, kind, causes };
    if (group) d.group = group;
    return new StatusError(422, 'Invalid', `${qualifiedKind(group, kind)} "${name}" is invalid: ${agg}`, d);
  },
  badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  },
  unauthorized(message = 'Unauthorized'): StatusError {
    return new StatusError(401, 'Unauthorized', message);
  },
  forbidden(gr: GroupResource, name: string, err: string): StatusError {
    const what = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
    return new StatusError(403, 'Forbidden', `${what} is forbidden: ${err}`, details(gr, name));
  },
  namespaceTerminating(gr: GroupResource, name: string, namespace: string): StatusError {
    const e = apiErrors.forbidden(gr, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    e.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
    return e;
  },
  methodNotSupported(gr: GroupResource, verb: string): StatusError {
    return new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind ${JSON.stringify(qualifiedResource(gr))}`, details(gr, ''));
  },
  /** 410 for a watch or list from a compacted resourceVersion. */
  resourceExpired(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  },
  gone(message: string): StatusError {
    return new StatusError(410, 'Gone', message);
  },
  internal(err: string): StatusError {
    return new StatusError(500, 'InternalError', `Internal error occurred: ${err}`, { causes: [{ message: err }] });
  },
  unsupportedMediaType(contentType: string): StatusError {
    return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType})`);
  },
  notAcceptable(message: string): StatusError {
    return new StatusError(406, 'NotAcceptable', message);
  },
  requestEntityTooLarge(message: string): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
  },
  timeout(message: string): StatusError {
    return new StatusError(504, 'Timeout', message);
  },
  tooManyRequests(message: string, retryAfter: number): StatusError {
    return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds: retryAfter });
  },
  serviceUnavailable(message: string): StatusError {
    return new StatusError(503, 'ServiceUnavailable', message);
  },
};

/** Turns anything thrown into a StatusError (unknown errors become 500s, and are logged by the caller). */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  // Only input can nest values deep enough to exhaust the stack (bodies are limited to Go's
  // 10000 levels, but copying or serializing such a value recurses): the request's fault, a 400.
  if (err instanceof RangeError && /call stack size/.test(err.message)) {
    return apiErrors.badRequest('the request body is nested too deeply to be processed');
  }
  return apiErrors.internal(err instanceof Error ? err.message : String(err));
}
