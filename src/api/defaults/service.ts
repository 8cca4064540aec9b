// SetDefaults_Service (pkg/apis/core/v1/defaults.go): the versioned defaults only. ClusterIP(s),
// ipFamilies and node ports are the registry's job.
import { type Obj, arr, isObj, obj, str, strs } from '../validation/common.js';

/** 3 hours, v1.DefaultClientIPServiceAffinitySeconds. */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function setServiceDefaults(svc: Obj): void {
  if (!isObj(svc.spec)) svc.spec = {};
  const spec = svc.spec;
  if (!str(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    if (!isObj(cfg) || !isObj(cfg.clientIP) || typeof cfg.clientIP.timeoutSeconds !== 'number') {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
    }
  }
  if (!str(spec.type)) spec.type = 'ClusterIP';
  for (const p of arr(spec.ports)) {
    if (!str(p.protocol)) p.protocol = 'TCP';
    const tp = p.targetPort;
    if (tp === undefined || tp === null || tp === 0 || tp === '') p.targetPort = p.port;
  }
  const type = str(spec.type);
  const externallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && strs(spec.externalIPs).length > 0);
  if (externallyAccessible && !str(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null) spec.allocateLoadBalancerNodePorts = true;
    for (const ing of arr(obj(obj(svc.status).loadBalancer).ingress)) {
      if (str(ing.ip) && (ing.ipMode === undefined || ing.ipMode === null)) ing.ipMode = 'VIP';
    }
  }
}
