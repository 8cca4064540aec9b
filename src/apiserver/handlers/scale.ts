// The scale subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets: what
// `kubectl scale` reads and patches.
import { apiErrors } from '../../api/errors.js';
import { fieldErr } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch/index.js';
import { labelSelectorFromObject } from '../../api/selectors/index.js';
import { EMPTY_PATCH_META } from '../../api/patch/index.js';
import { mediaType, parseJSONBody } from '../decode.js';
import { header, readBody, writeJSON } from '../http.js';
import { requestContext, type ResourceCall } from './context.js';

interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function toScale(obj: KubeObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata;
  const scale: Scale = {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0 },
  };
  const sel = spec.selector ? labelSelectorFromObject(spec.selector as never).toString() : '';
  if (sel) scale.status.selector = sel;
  return scale;
}

export async function handleScale(call: ResourceCall): Promise<void> {
  const { info, store } = call;
  if (info.verb === 'get') {
    writeJSON(call.req, 200, toScale(await store.get(info.namespace, info.name)));
    return;
  }
  if (info.verb !== 'update' && info.verb !== 'patch') {
    throw apiErrors.methodNotSupported({ group: store.def.group, resource: `${store.def.resource}/scale` }, info.verb);
  }
  const ctx = requestContext(call);
  const body = await readBody(call.req);
  const parsed = parseJSONBody(body, 'Scale in version "v1" cannot be handled as a Scale');
  const type = mediaType(header(call.req, 'content-type'));
  const { object } = await store.guaranteedUpdate(info.namespace, info.name, ctx, (current) => {
    if (!current) throw apiErrors.notFound(store.groupResource, info.name);
    const scale = toScale(current);
    let next: Scale;
    if (info.verb === 'update') next = parsed as Scale;
    else if (type === 'application/json-patch+json') next = applyJsonPatch(scale as never, parsed) as unknown as Scale;
    else if (type === 'application/merge-patch+json') next = applyMergePatch(scale as never, parsed) as unknown as Scale;
    else if (type === 'application/strategic-merge-patch+json') next = applyStrategicMergePatch(scale as never, parsed, EMPTY_PATCH_META) as unknown as Scale;
    else throw apiErrors.unsupportedMediaType(type);
    const replicas = next?.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw apiErrors.invalid('autoscaling', 'Scale', info.name, [
        fieldErr.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0'),
      ]);
    }
    const rv = next.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw apiErrors.objectModified(store.groupResource, info.name);
    (current.spec as { replicas?: number }).replicas = replicas;
    delete current.metadata.resourceVersion;
    return current;
  });
  writeJSON(call.req, 200, toScale(object));
}
