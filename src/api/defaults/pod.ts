// Pod defaulting as the v1 decoder applies it (pkg/apis/core/v1 defaults.go chained by
// zz_generated.defaults.go), plus the create-time pieces that are not "defaults" upstream but
// shape every stored Pod: PrepareForCreate (phase, qosClass) and two admission plugins.
import { type Obj, arr, isObj, obj, str } from '../validation/common.js';
import { parseQuantity } from '../validation/quantity.js';

const setIfEmpty = (o: Obj, k: string, v: unknown) => {
  if (o[k] === undefined || o[k] === null || o[k] === '') o[k] = v;
};
const setIfNil = (o: Obj, k: string, v: unknown) => {
  if (o[k] === undefined || o[k] === null) o[k] = v;
};

/**
 * The tag parsers.ParseImageName would report: the explicit tag, "" for a digest-only reference or
 * an unparsable name, else the implicit "latest".
 */
export function imageTag(image: string): string {
  // Reference names must be lower case (a parse error yields no tag at all).
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > lastSlash ? named.slice(colon + 1) : '';
  const repo = colon > lastSlash ? named.slice(0, colon) : named;
  const path = repo.slice(repo.indexOf('/') + 1);
  if (!repo || /[A-Z]/.test(repo.includes('/') ? path : repo) || /\s/.test(image)) return '';
  if (tag) return tag;
  return at >= 0 ? '' : 'latest';
}

/** SetDefaults_Container (also applied to init and ephemeral containers). */
export function setContainerDefaults(c: Obj): void {
  if (!str(c.imagePullPolicy)) c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  setIfEmpty(c, 'terminationMessagePath', '/dev/termination-log');
  setIfEmpty(c, 'terminationMessagePolicy', 'File');
  for (const p of arr(c.ports)) setIfEmpty(p, 'protocol', 'TCP');
  for (const e of arr(c.env)) if (isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef)) setIfEmpty(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (isObj(c[probe])) setProbeDefaults(c[probe]);
  if (isObj(c.lifecycle)) {
    for (const hook of ['postStart', 'preStop']) {
      const h = c.lifecycle[hook];
      if (isObj(h) && isObj(h.httpGet)) setHTTPGetDefaults(h.httpGet);
    }
  }
}

function setHTTPGetDefaults(h: Obj): void {
  setIfEmpty(h, 'path', '/');
  setIfEmpty(h, 'scheme', 'HTTP');
}

/** SetDefaults_Probe plus the handler defaults generated for it. */
export function setProbeDefaults(p: Obj): void {
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  if (isObj(p.httpGet)) setHTTPGetDefaults(p.httpGet);
  if (isObj(p.grpc)) setIfNil(p.grpc, 'service', '');
}

/** SetDefaults_Volume and the per-source defaults (file modes are 0644 = 420). */
export function setVolumeDefaults(v: Obj): void {
  const sources = Object.keys(v).filter((k) => k !== 'name' && isObj(v[k]));
  if (sources.length === 0) v.emptyDir = {};
  if (isObj(v.hostPath)) setIfNil(v.hostPath, 'type', '');
  if (isObj(v.secret)) setIfNil(v.secret, 'defaultMode', 420);
  if (isObj(v.configMap)) setIfNil(v.configMap, 'defaultMode', 420);
  if (isObj(v.iscsi)) setIfEmpty(v.iscsi, 'iscsiInterface', 'default');
  if (isObj(v.rbd)) {
    setIfEmpty(v.rbd, 'pool', 'rbd');
    setIfEmpty(v.rbd, 'user', 'admin');
    setIfEmpty(v.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (isObj(v.azureDisk)) {
    setIfNil(v.azureDisk, 'cachingMode', 'ReadWrite');
    setIfNil(v.azureDisk, 'fsType', 'ext4');
    setIfNil(v.azureDisk, 'readOnly', false);
    setIfNil(v.azureDisk, 'kind', 'Shared');
  }
  if (isObj(v.scaleIO)) {
    setIfEmpty(v.scaleIO, 'storageMode', 'ThinProvisioned');
    setIfEmpty(v.scaleIO, 'fsType', 'xfs');
  }
  if (isObj(v.downwardAPI)) {
    setIfNil(v.downwardAPI, 'defaultMode', 420);
    for (const item of arr(v.downwardAPI.items)) if (isObj(item.fieldRef)) setIfEmpty(item.fieldRef, 'apiVersion', 'v1');
  }
  if (isObj(v.projected)) {
    setIfNil(v.projected, 'defaultMode', 420);
    for (const s of arr(v.projected.sources)) {
      if (isObj(s.downwardAPI)) for (const item of arr(s.downwardAPI.items)) if (isObj(item.fieldRef)) setIfEmpty(item.fieldRef, 'apiVersion', 'v1');
      if (isObj(s.serviceAccountToken)) setIfNil(s.serviceAccountToken, 'expirationSeconds', 3600);
    }
  }
  const claim = isObj(v.ephemeral) && isObj(v.ephemeral.volumeClaimTemplate) ? obj(v.ephemeral.volumeClaimTemplate.spec) : undefined;
  if (claim && isObj(v.ephemeral.volumeClaimTemplate.spec)) setIfNil(claim, 'volumeMode', 'Filesystem');
}

/**
 * Defaults for a PodSpec wherever it appears (SetDefaults_PodSpec + volumes + containers). Pod
 * templates get only this; SetDefaults_Pod adds more for real Pods.
 */
export function setPodSpecDefaults(spec: Obj): void {
  setIfEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  setIfEmpty(spec, 'restartPolicy', 'Always');
  setIfNil(spec, 'securityContext', {});
  setIfNil(spec, 'terminationGracePeriodSeconds', 30);
  setIfEmpty(spec, 'schedulerName', 'default-scheduler');
  for (const v of arr(spec.volumes)) setVolumeDefaults(v);
  for (const c of arr(spec.initContainers)) setContainerDefaults(c);
  for (const c of arr(spec.containers)) setContainerDefaults(c);
  for (const c of arr(spec.ephemeralContainers)) setContainerDefaults(c);
}

/** SetObjectDefaults_Pod. */
export function setPodDefaults(pod: Obj): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const spec = pod.spec;
  // Requests default to limits — for Pods only, not templates.
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const res = obj(c.resources);
    if (!isObj(res.limits)) continue;
    if (!isObj(res.requests)) res.requests = {};
    for (const [k, v] of Object.entries(res.limits)) if (!(k in res.requests)) res.requests[k] = v;
    c.resources = res;
  }
  setIfNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const c of [...arr(spec.containers), ...arr(spec.initContainers)])
      for (const p of arr(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
  }
  setPodSpecDefaults(spec);
  normalizePodStatusIPs(pod);
}

/**
 * The v1<->internal conversion keeps status.podIP/podIPs and hostIP/hostIPs in step
 * (podIP = podIPs[0].ip; podIPs = [podIP] when only the singular is given).
 */
export function normalizePodStatusIPs(pod: Obj): void {
  if (!isObj(pod.status)) return;
  const st = pod.status;
  for (const [one, many] of [
    ['podIP', 'podIPs'],
    ['hostIP', 'hostIPs'],
  ] as const) {
    const list = arr(st[many]);
    if (list.length === 0 && str(st[one])) st[many] = [{ ip: st[one] }];
    else if (list.length > 0) st[one] = str(list[0]!.ip);
  }
}

export const QOS_CLASSES = { Guaranteed: 'Guaranteed', Burstable: 'Burstable', BestEffort: 'BestEffort' } as const;
export type QOSClass = (typeof QOS_CLASSES)[keyof typeof QOS_CLASSES];

/** qos.ComputePodQOS: only cpu and memory count; init containers are included, ephemeral ones not. */
export function computePodQOS(pod: Obj): QOSClass {
  const spec = obj(pod.spec);
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const res = obj(c.resources);
    for (const [name, q] of Object.entries(obj(res.requests))) {
      const v = parseQuantity(q);
      if ((name === 'cpu' || name === 'memory') && v !== undefined && v > 0n) add(requests, name, v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(obj(res.limits))) {
      const v = parseQuantity(q);
      if ((name === 'cpu' || name === 'memory') && v !== undefined && v > 0n) {
        found.add(name);
        add(limits, name, v);
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [name, req] of requests) if (limits.get(name) !== req) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** podStrategy.PrepareForCreate: a fresh status with phase Pending and the computed QoS class. */
export function preparePodForCreate(pod: Obj): void {
  const status: Obj = { phase: 'Pending', qosClass: computePodQOS(pod) };
  if (arr(obj(pod.spec).schedulingGates).length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
  pod.status = status;
}

/**
 * The ServiceAccount admission plugin's defaulting: an unset service account becomes "default"
 * (the deprecated spec.serviceAccount is honoured as input and mirrored, as v1 conversion does).
 * Mirror pods are left alone.
 */
export function admitPodServiceAccount(pod: Obj): void {
  if (!isObj(pod.spec)) pod.spec = {};
  if ('kubernetes.io/config.mirror' in obj(obj(pod.metadata).annotations)) return;
  const name = str(pod.spec.serviceAccountName) || str(pod.spec.serviceAccount) || 'default';
  pod.spec.serviceAccountName = name;
  pod.spec.serviceAccount = name;
}

export const DEFAULT_TOLERATION_SECONDS = 300;

/**
 * DefaultTolerationSeconds admission: tolerate node.kubernetes.io/not-ready and unreachable
 * NoExecute taints for 300 s unless the pod already tolerates them (a toleration with an empty key
 * or an empty effect counts).
 */
export function admitDefaultTolerationSeconds(pod: Obj): void {
  if (!isObj(pod.spec)) pod.spec = {};
  const tolerations = arr(pod.spec.tolerations);
  const tolerates = (taintKey: string) =>
    tolerations.some((t) => (str(t.key) === taintKey || !str(t.key)) && (str(t.effect) === 'NoExecute' || !str(t.effect)));
  const add: Obj[] = [];
  for (const k of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(k)) add.push({ key: k, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  if (add.length) pod.spec.tolerations = [...tolerations, ...add];
}
