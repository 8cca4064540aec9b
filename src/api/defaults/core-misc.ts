// Defaults for Namespace, Node, Endpoints and ConfigMap (pkg/apis/core/v1/defaults.go), and the
// Namespace/Service PrepareForCreate steps that shape what gets stored.
import { type Obj, arr, isObj, str, strs } from '../validation/common.js';

export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** SetDefaults_Namespace + SetDefaults_NamespaceStatus. Nameless (generateName) objects get no label yet. */
export function setNamespaceDefaults(ns: Obj): void {
  if (!isObj(ns.metadata)) ns.metadata = {};
  const name = str(ns.metadata.name);
  if (name) ns.metadata.labels = { ...(isObj(ns.metadata.labels) ? ns.metadata.labels : {}), [LABEL_METADATA_NAME]: name };
  if (!isObj(ns.status)) ns.status = {};
  if (!str(ns.status.phase)) ns.status.phase = 'Active';
}

/**
 * namespaceStrategy.PrepareForCreate + Canonicalize: phase Active, the "kubernetes" finalizer
 * appended, and the metadata.name label (set again once generateName produced a name).
 */
export function prepareNamespaceForCreate(ns: Obj): void {
  ns.status = { phase: 'Active' };
  if (!isObj(ns.spec)) ns.spec = {};
  const finalizers = strs(ns.spec.finalizers);
  if (!finalizers.includes('kubernetes')) ns.spec.finalizers = [...finalizers, 'kubernetes'];
  canonicalizeNamespace(ns);
}

/** namespaceStrategy.Canonicalize: the label always equals the name (users cannot change it). */
export function canonicalizeNamespace(ns: Obj): void {
  if (!isObj(ns.metadata)) ns.metadata = {};
  const name = str(ns.metadata.name);
  if (!name) return;
  ns.metadata.labels = { ...(isObj(ns.metadata.labels) ? ns.metadata.labels : {}), [LABEL_METADATA_NAME]: name };
}

/** SetDefaults_NodeStatus (allocatable = capacity) and the podCIDR/podCIDRs conversion. */
export function setNodeDefaults(node: Obj): void {
  if (isObj(node.status) && isObj(node.status.capacity) && !isObj(node.status.allocatable)) {
    node.status.allocatable = { ...node.status.capacity };
  }
  if (isObj(node.spec)) {
    const cidrs = strs(node.spec.podCIDRs);
    if (cidrs.length === 0 && str(node.spec.podCIDR)) node.spec.podCIDRs = [node.spec.podCIDR];
    else if (cidrs.length > 0) node.spec.podCIDR = cidrs[0];
  }
}

export function setEndpointsDefaults(ep: Obj): void {
  for (const ss of arr(ep.subsets)) for (const p of arr(ss.ports)) if (!str(p.protocol)) p.protocol = 'TCP';
}

/** SetDefaults_ConfigMap: data becomes an empty map (omitted again on output when empty). */
export function setConfigMapDefaults(cm: Obj): void {
  if (!isObj(cm.data)) cm.data = {};
}

/** serviceStrategy.PrepareForCreate: status is reset (serialised as {loadBalancer: {}}). */
export function prepareServiceForCreate(svc: Obj): void {
  svc.status = { loadBalancer: {} };
}
