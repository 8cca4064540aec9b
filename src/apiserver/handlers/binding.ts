// POST pods/{name}/binding: what the scheduler calls. Sets spec.nodeName once, and marks the
// PodScheduled condition, as pkg/registry/core/pod/storage BindingREST.assignPod does.
import { apiErrors } from '../../api/errors.js';
import { fieldErr } from '../../api/field-errors.js';
import { formatTime } from '../../api/meta.js';
import { decodeObject } from '../decode.js';
import { header, readBody, writeJSON } from '../http.js';
import { requestContext, type ResourceCall } from './context.js';

interface Binding {
  metadata: { name?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

export async function handleBinding(call: ResourceCall): Promise<void> {
  const ctx = requestContext(call);
  const body = await readBody(call.req);
  const binding = decodeObject(body, header(call.req, 'content-type'), call.store.def, { group: '', version: 'v1', kind: 'Binding' }) as unknown as Binding;
  const podName = call.info.name;
  if (binding.metadata.name && binding.metadata.name !== podName) {
    throw apiErrors.badRequest(`name in URL does not match name in Binding object`);
  }
  const target = binding.target?.name;
  if (!target || (binding.target?.kind && binding.target.kind !== 'Node')) {
    throw apiErrors.invalid('', 'Binding', podName, [
      fieldErr.notSupported('target.kind', binding.target?.kind ?? '', ['Node']),
    ]);
  }
  await call.store.guaranteedUpdate(call.info.namespace, podName, ctx, (pod) => {
    if (!pod) throw apiErrors.notFound(call.store.groupResource, podName);
    if (pod.metadata.deletionTimestamp) {
      throw apiErrors.conflict(call.store.groupResource, podName, 'pod is being deleted, cannot be assigned to a host');
    }
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    if (spec.nodeName) {
      throw apiErrors.conflict(call.store.groupResource, podName, `pod ${podName} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
    }
    spec.nodeName = target;
    for (const [k, v] of Object.entries(binding.metadata.annotations ?? {})) (pod.metadata.annotations ??= {})[k] = v;
    const status = (pod.status ??= {}) as { conditions?: { type: string; status: string; lastProbeTime?: null; lastTransitionTime?: string }[] };
    const conds = (status.conditions ??= []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: formatTime(ctx.now) });
    status.conditions = conds;
    return pod;
  }, { subresource: 'binding' });
  writeJSON(call.req, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
