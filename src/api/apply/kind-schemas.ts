// Schemas of the kinds svcnet serves, keyed by group and kind. Unknown kinds get upstream's
// deduced schema (maps granular, lists atomic).
import { conditions, labelSelector, objectMeta, podSpec, podStatus, podTemplateSpec } from './pod-schema.js';
import {
  SCALAR,
  UNTYPED,
  atomicList,
  atomicMap,
  atomicStruct,
  granularMap,
  mapList,
  setList,
  struct,
  zeroStruct,
} from './schema.js';
import type { ApplySchema, SchemaNode } from './schema.js';

function kind(fields: Record<string, SchemaNode>): SchemaNode {
  return struct({ metadata: objectMeta, ...fields });
}

/** Kinds with a status subresource: writes to the resource never own status, and status writes never own spec. */
const statusReset = { '': [['status']], status: [['spec']] } as const;

const service = kind({
  spec: zeroStruct({
    ports: mapList(['port', 'protocol'], struct({}), { keyDefaults: { protocol: 'TCP' } }),
    selector: atomicMap(),
    clusterIPs: atomicList(SCALAR),
    externalIPs: atomicList(SCALAR),
    ipFamilies: atomicList(SCALAR),
    loadBalancerSourceRanges: atomicList(SCALAR),
  }),
  status: zeroStruct({ loadBalancer: zeroStruct({ ingress: atomicList() }), conditions }),
});

const deployment = kind({
  spec: zeroStruct({ selector: labelSelector, template: podTemplateSpec, strategy: zeroStruct({}) }),
  status: zeroStruct({ conditions }),
});

const replicaSet = kind({
  spec: zeroStruct({ selector: labelSelector, template: podTemplateSpec }),
  status: zeroStruct({ conditions }),
});

const node = kind({
  spec: zeroStruct({ podCIDRs: setList(), taints: atomicList() }),
  status: zeroStruct({
    addresses: mapList(['type'], struct({})),
    conditions,
    capacity: granularMap(),
    allocatable: granularMap(),
    images: atomicList(),
    volumesInUse: atomicList(SCALAR),
    volumesAttached: atomicList(),
    runtimeHandlers: atomicList(),
    daemonEndpoints: zeroStruct({ kubeletEndpoint: zeroStruct({}) }),
    nodeInfo: zeroStruct({}),
  }),
});

const objectReference = atomicStruct();

const schemas: Record<string, ApplySchema> = {
  '/Service': { root: service, resetFields: statusReset },
  '/Pod': { root: kind({ spec: podSpec, status: podStatus }), resetFields: statusReset },
  'apps/Deployment': { root: deployment, resetFields: statusReset },
  'apps/ReplicaSet': { root: replicaSet, resetFields: statusReset },
  '/Namespace': {
    root: kind({ spec: zeroStruct({ finalizers: atomicList(SCALAR) }), status: zeroStruct({ conditions }) }),
    resetFields: statusReset,
  },
  '/Node': { root: node, resetFields: statusReset },
  '/ConfigMap': { root: kind({ data: granularMap(), binaryData: granularMap() }), resetFields: {} },
  '/Secret': { root: kind({ data: granularMap(), stringData: granularMap() }), resetFields: {} },
  '/ServiceAccount': {
    root: kind({ secrets: mapList(['name'], objectReference), imagePullSecrets: atomicList() }),
    resetFields: {},
  },
  '/Endpoints': { root: kind({ subsets: atomicList() }), resetFields: {} },
  'discovery.k8s.io/EndpointSlice': {
    root: kind({ endpoints: atomicList(), ports: atomicList() }),
    resetFields: {},
  },
  '/Event': {
    root: kind({
      involvedObject: atomicStruct({ zero: true }),
      related: objectReference,
      source: zeroStruct({}),
    }),
    resetFields: {},
  },
  'events.k8s.io/Event': {
    root: kind({
      regarding: atomicStruct({ zero: true }),
      related: objectReference,
      deprecatedSource: zeroStruct({}),
    }),
    resetFields: {},
  },
  'coordination.k8s.io/Lease': { root: kind({ spec: zeroStruct({}) }), resetFields: {} },
};

/** Unknown kinds: typed ObjectMeta (every object has it), everything else deduced. */
const untyped: ApplySchema = { root: struct({ metadata: objectMeta }, { rest: UNTYPED }), resetFields: {} };

/** The group of an apiVersion: '' for `v1`, `apps` for `apps/v1`. */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The apply schema for a kind; kinds svcnet does not describe get the deduced (untyped) schema. */
export function schemaFor(apiVersion: string, kindName: string): ApplySchema {
  return schemas[`${groupOf(apiVersion)}/${kindName}`] ?? untyped;
}
