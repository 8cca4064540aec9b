// Validation of the smaller core/v1 kinds (ConfigMap, Namespace, Node, ServiceAccount, Endpoints,
// Event) and coordination.k8s.io Lease, as pkg/apis/*/validation does it.
import { FieldError, fieldErr } from '../field-errors.js';
import {
  type Obj,
  arr,
  child,
  deepEqual,
  index,
  invalidEach,
  key,
  notSupportedInOrder,
  num,
  obj,
  str,
  strs,
  validateDNS1123Label,
  validateQualifiedName,
} from './common.js';
import { parseCIDRSloppy, validateCIDR, validateIP, validateNonSpecialIP } from './ip.js';
import { byteLen, isConfigMapKey, isDNS1123Subdomain, isValidPortNum } from './names.js';
import { validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { isQualifiedName } from './names.js';
import { SUPPORTED_PORT_PROTOCOLS } from './pod-containers.js';

/** core.MaxSecretSize, shared by ConfigMaps. */
export const MAX_CONFIG_MAP_SIZE = 1 * 1024 * 1024;

export function validateConfigMap(cm: Obj): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  let total = 0;
  const binary = obj(cm.binaryData);
  for (const [k, v] of Object.entries(obj(cm.data))) {
    errs.push(...invalidEach(key('data', k), k, isConfigMapKey(k)));
    if (Object.hasOwn(binary, k)) errs.push(fieldErr.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += byteLen(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...invalidEach(key('binaryData', k), k, isConfigMapKey(k)));
    // binaryData is base64 on the wire; the limit counts decoded bytes.
    total += Buffer.from(str(v), 'base64').length;
  }
  if (total > MAX_CONFIG_MAP_SIZE) errs.push(fieldErr.tooLong('', MAX_CONFIG_MAP_SIZE));
  return errs;
}

export function validateConfigMapUpdate(cm: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(cm.metadata, old.metadata);
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.data ?? {}, old.data ?? {})) errs.push(fieldErr.forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.binaryData ?? {}, old.binaryData ?? {})) errs.push(fieldErr.forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateConfigMap(cm)];
}

export function validateNamespace(ns: Obj): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameFn: 'dns1123Label' });
  for (const f of strs(obj(ns.spec).finalizers)) {
    errs.push(...invalidEach('spec.finalizers', f, isQualifiedName(f)));
    errs.push(...validateKubeFinalizerName(f, 'spec.finalizers'));
  }
  return errs;
}

export function validateNamespaceUpdate(ns: Obj, old: Obj): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(taints).forEach((t, i) => {
    const idx = index(path, i);
    errs.push(...validateQualifiedName(str(t.key), child(idx, 'key')));
    if (str(t.value)) errs.push(...validateQualifiedName(str(t.value), child(idx, 'value')));
    const effect = str(t.effect);
    if (!effect) errs.push(fieldErr.required(child(idx, 'effect')));
    else if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect))
      errs.push(notSupportedInOrder(child(idx, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    const k = `${effect}/${str(t.key)}`;
    if (seen.has(k)) errs.push(fieldErr.duplicate(idx, `${str(t.key)}=${str(t.value)}:${effect}`));
    seen.add(k);
  });
  return errs;
}

export function validateNode(node: Obj): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false, nameFn: 'dns1123Subdomain' });
  const spec = obj(node.spec);
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  const cidrs = strs(spec.podCIDRs);
  cidrs.forEach((c, i) => errs.push(...validateCIDR(index('spec.podCIDRs', i), c)));
  if (cidrs.length > 1) {
    const parsed = cidrs.map(parseCIDRSloppy);
    const dual = cidrs.length === 2 && parsed[0] && parsed[1] && parsed[0].ip.is4 !== parsed[1].ip.is4;
    if (!dual) errs.push(fieldErr.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  }
  return errs;
}

export function validateNodeUpdate(node: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  const o = obj(old.spec);
  const n = obj(node.spec);
  const oldCIDRs = strs(o.podCIDRs);
  const msg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length) {
    const newCIDRs = strs(n.podCIDRs);
    if (oldCIDRs.length !== newCIDRs.length) errs.push(fieldErr.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(fieldErr.forbidden('spec.podCIDRs', msg)));
  }
  if (str(o.providerID) && str(o.providerID) !== str(n.providerID))
    errs.push(fieldErr.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return [...errs, ...validateNode(node).filter((e) => !e.field.startsWith('metadata.'))];
}

export function validateServiceAccount(sa: Obj): FieldError[] {
  return validateObjectMeta(sa.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
}

function validateEndpointAddress(a: Obj, path: string): FieldError[] {
  const errs = validateIP(child(path, 'ip'), str(a.ip));
  if (str(a.hostname)) errs.push(...validateDNS1123Label(str(a.hostname), child(path, 'hostname')));
  if (typeof a.nodeName === 'string') errs.push(...invalidEach(child(path, 'nodeName'), a.nodeName, isDNS1123Subdomain(a.nodeName)));
  errs.push(...validateNonSpecialIP(child(path, 'ip'), str(a.ip)));
  return errs;
}

export function validateEndpoints(ep: Obj): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  arr(ep.subsets).forEach((ss, i) => {
    const idx = index('subsets', i);
    if (arr(ss.addresses).length === 0 && arr(ss.notReadyAddresses).length === 0)
      errs.push(fieldErr.required(idx, 'must specify `addresses` or `notReadyAddresses`'));
    arr(ss.addresses).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(idx, 'addresses'), j))));
    arr(ss.notReadyAddresses).forEach((a, j) => errs.push(...validateEndpointAddress(a, index(child(idx, 'notReadyAddresses'), j))));
    const ports = arr(ss.ports);
    ports.forEach((p, j) => {
      const pp = index(child(idx, 'ports'), j);
      const name = str(p.name);
      if (ports.length > 1 && !name) errs.push(fieldErr.required(child(pp, 'name')));
      else if (name) errs.push(...validateDNS1123Label(name, child(pp, 'name')));
      errs.push(...invalidEach(child(pp, 'port'), num(p.port), isValidPortNum(num(p.port))));
      const proto = str(p.protocol);
      if (!proto) errs.push(fieldErr.required(child(pp, 'protocol')));
      else if (!(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(proto))
        errs.push(fieldErr.notSupported(child(pp, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
      if (typeof p.appProtocol === 'string') errs.push(...validateQualifiedName(p.appProtocol, child(pp, 'appProtocol')));
    });
  });
  return errs;
}

const REASON_LENGTH_LIMIT = 128;
const ACTION_LENGTH_LIMIT = 128;
const REPORTING_INSTANCE_LENGTH_LIMIT = 128;

/**
 * legacyValidateEvent: core/v1 Events get no ObjectMeta validation beyond this (kept for
 * compatibility with old clients).
 */
export function validateEvent(ev: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(obj(ev.metadata).namespace);
  const involvedNs = str(obj(ev.involvedObject).namespace);
  const mismatch = () => fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = str(ev.reportingComponent);
    if (!rc) errs.push(fieldErr.required('reportingComponent'));
    errs.push(...validateQualifiedName(rc, 'reportingComponent'));
    const ri = str(ev.reportingInstance);
    if (!ri) errs.push(fieldErr.required('reportingInstance'));
    if (ri.length > REPORTING_INSTANCE_LENGTH_LIMIT)
      errs.push(fieldErr.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`));
    const action = str(ev.action);
    if (!action) errs.push(fieldErr.required('action'));
    if (action.length > ACTION_LENGTH_LIMIT) errs.push(fieldErr.invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`));
  }
  if (str(ev.reason).length > REASON_LENGTH_LIMIT) errs.push(fieldErr.invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`));
  errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

export function validateLease(lease: Obj): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  const spec = obj(lease.spec);
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
    errs.push(fieldErr.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0)
    errs.push(fieldErr.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

