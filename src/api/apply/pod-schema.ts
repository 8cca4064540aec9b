// ObjectMeta, LabelSelector and PodSpec as upstream's schema describes them (list types from the
// `+listType`/`+listMapKey` markers in k8s.io/api, as compiled into client-go's
// applyconfigurations/internal schema). Fields not listed are scalars or plain structs.
import {
  SCALAR,
  atomicList,
  atomicMap,
  atomicStruct,
  granularMap,
  mapList,
  setList,
  struct,
  zeroStruct,
} from './schema.js';
import type { SchemaNode } from './schema.js';

export const objectMeta: SchemaNode = zeroStruct({
  labels: granularMap(),
  annotations: granularMap(),
  finalizers: setList(),
  ownerReferences: mapList(['uid'], struct({})),
  managedFields: atomicList(),
});

/** metav1.LabelSelector is `+structType=atomic`. */
export const labelSelector: SchemaNode = atomicStruct();

/** metav1.Condition and the per-kind conditions: `+listType=map +listMapKey=type`. */
export const conditions: SchemaNode = mapList(['type'], struct({}));

const container: SchemaNode = struct({
  command: atomicList(SCALAR),
  args: atomicList(SCALAR),
  env: mapList(['name'], struct({ valueFrom: struct({
    configMapKeyRef: atomicStruct(),
    secretKeyRef: atomicStruct(),
    fieldRef: atomicStruct(),
    resourceFieldRef: atomicStruct(),
  }) })),
  envFrom: atomicList(),
  ports: mapList(['containerPort', 'protocol'], struct({}), { keyDefaults: { protocol: 'TCP' } }),
  volumeMounts: mapList(['mountPath'], struct({})),
  volumeDevices: mapList(['devicePath'], struct({})),
  resizePolicy: atomicList(),
  resources: zeroStruct({
    limits: granularMap(),
    requests: granularMap(),
    claims: mapList(['name'], struct({})),
  }),
});

const volume: SchemaNode = struct({
  csi: struct({ volumeAttributes: granularMap(), nodePublishSecretRef: atomicStruct() }),
  flexVolume: struct({ options: granularMap() }),
});

export const podSpec: SchemaNode = zeroStruct({
  containers: mapList(['name'], container, { zero: true }),
  initContainers: mapList(['name'], container),
  ephemeralContainers: mapList(['name'], container),
  volumes: mapList(['name'], volume),
  imagePullSecrets: mapList(['name'], atomicStruct()),
  tolerations: atomicList(),
  hostAliases: mapList(['ip'], struct({ hostnames: atomicList(SCALAR) })),
  nodeSelector: atomicMap(),
  overhead: granularMap(),
  readinessGates: atomicList(),
  resourceClaims: mapList(['name'], struct({})),
  schedulingGates: mapList(['name'], struct({})),
  topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable'], struct({ labelSelector })),
  affinity: struct({
    nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicStruct() }),
  }),
});

export const podStatus: SchemaNode = zeroStruct({
  conditions,
  podIPs: mapList(['ip'], struct({})),
  hostIPs: atomicList(),
  containerStatuses: atomicList(),
  initContainerStatuses: atomicList(),
  ephemeralContainerStatuses: atomicList(),
  resourceClaimStatuses: mapList(['name'], struct({})),
});

export const podTemplateSpec: SchemaNode = zeroStruct({ metadata: objectMeta, spec: podSpec });
