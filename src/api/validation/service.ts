// Service validation (ValidateService / ValidateServiceUpdate in pkg/apis/core/validation), in
// upstream's evaluation order. Allocation-dependent checks (ranges, "already allocated") live in
// the allocators, not here.
import { FieldError, GoValue, fieldErr, goQuote } from '../field-errors.js';
import { type Obj, arr, child, index, isObj, num, obj, str, strs, validateDNS1123Label, validateDNS1123Subdomain, validateLabels, validateQualifiedName } from './common.js';
import { isIPv6String, parseIPSloppy, validateCIDR, validateIP, validateNonSpecialIP } from './ip.js';
import { isValidPortNum } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { SUPPORTED_PORT_PROTOCOLS, validatePortNumOrName } from './pod-containers.js';

const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

export const isHeadless = (svc: Obj): boolean => {
  const ips = strs(obj(svc.spec).clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
};

/** apiservice.ExternallyAccessible. */
export function externallyAccessible(spec: Obj): boolean {
  const t = str(spec.type);
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && strs(spec.externalIPs).length > 0);
}

const needsHealthCheck = (spec: Obj) => str(spec.type) === 'LoadBalancer' && str(spec.externalTrafficPolicy) === 'Local';

/** %#v of the (protocol, port) key used for duplicate detection. */
function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  );
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && !name) errs.push(fieldErr.required(child(path, 'name')));
  else if (name) {
    errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (names.has(name)) errs.push(fieldErr.duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  for (const msg of isValidPortNum(num(sp.port))) errs.push(fieldErr.invalid(child(path, 'port'), num(sp.port), msg));
  const proto = str(sp.protocol);
  if (!proto) errs.push(fieldErr.required(child(path, 'protocol')));
  else if (!(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(proto))
    errs.push(fieldErr.notSupported(child(path, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, child(path, 'targetPort')));
  if (typeof sp.appProtocol === 'string') errs.push(...validateQualifiedName(sp.appProtocol, child(path, 'appProtocol')));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields (exported: the allocator runs it early, too). */
export function validateServiceClusterIPsRelatedFields(svc: Obj): FieldError[] {
  const spec = obj(svc.spec);
  if (str(spec.type) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIP = str(spec.clusterIP);
  const ips = strs(spec.clusterIPs);
  const families = strs(spec.ipFamilies);
  if (clusterIP) {
    if (ips.length === 0) errs.push(fieldErr.required('spec.clusterIPs'));
    else if (ips[0] !== clusterIP) errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(fieldErr.notSupported(index('spec.ipFamilies', i), f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(fieldErr.duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
    const p = str(spec.ipFamilyPolicy);
    if (!['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(p))
      errs.push(fieldErr.notSupported('spec.ipFamilyPolicy', p, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(fieldErr.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(index('spec.clusterIPs', i), ip);
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (ips.length > 1) {
    // netutils.IsDualStackIPStrings: at least one IP of each family, however many there are.
    const parsed = ips.map((ip) => parseIPSloppy(ip)!);
    const dualStack = parsed.some((ip) => ip.is4) && parsed.some((ip) => !ip.is4);
    if (!dualStack) errs.push(fieldErr.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(svc) && ips.length && families.length) {
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6String(ip))
        errs.push(fieldErr.invalid(index('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6String(ip))
        errs.push(fieldErr.invalid(index('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateLoadBalancerClass(oldSvc: Obj | undefined, svc: Obj): FieldError[] {
  const spec = obj(svc.spec);
  const errs: FieldError[] = [];
  const isLB = str(spec.type) === 'LoadBalancer';
  const cls = spec.loadBalancerClass;
  if (oldSvc && isLB && str(obj(oldSvc.spec).type) === 'LoadBalancer' && (obj(oldSvc.spec).loadBalancerClass ?? null) !== (cls ?? null)) {
    errs.push(fieldErr.invalid('spec.loadBalancerClass', cls ?? null, 'may not change once set'));
  }
  if (typeof cls === 'string') {
    if (isLB) errs.push(...validateQualifiedName(cls, 'spec.loadBalancerClass'));
    else errs.push(fieldErr.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateTrafficPolicies(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp) errs.push(fieldErr.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(fieldErr.required('spec.externalTrafficPolicy'));
  else if (etp !== 'Cluster' && etp !== 'Local') errs.push(fieldErr.notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const hc = num(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (hc) errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!hc) errs.push(fieldErr.required('spec.healthCheckNodePort'));
  else for (const msg of isValidPortNum(hc)) errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, msg));

  const t = str(spec.type);
  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && (t === 'NodePort' || t === 'LoadBalancer' || t === 'ClusterIP'))
    errs.push(fieldErr.required('spec.internalTrafficPolicy'));
  if (typeof itp === 'string' && itp !== 'Cluster' && itp !== 'Local') errs.push(fieldErr.notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  const td = spec.trafficDistribution;
  if (typeof td === 'string' && td !== 'PreferClose') errs.push(fieldErr.notSupported('spec.trafficDistribution', td, ['PreferClose']));
  return errs;
}

/** ValidateService. */
export function validateService(svc: Obj): FieldError[] {
  const spec = obj(svc.spec);
  const annotations = obj(obj(svc.metadata).annotations);
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameFn: 'dns1035Label' });
  if (TOPOLOGY_MODE in annotations && TOPOLOGY_HINTS in annotations && annotations[TOPOLOGY_MODE] !== annotations[TOPOLOGY_HINTS]) {
    errs.push(
      fieldErr.invalid(`metadata.annotations[${TOPOLOGY_MODE}]`, str(annotations[TOPOLOGY_MODE]), `must match annotations[${TOPOLOGY_HINTS}] when both are specified`),
    );
  }
  const type = str(spec.type);
  const ports = arr(spec.ports);
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErr.required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  } else if (type === 'ExternalName') {
    if (strs(spec.clusterIPs).length) errs.push(fieldErr.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (strs(spec.ipFamilies).length) errs.push(fieldErr.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(fieldErr.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
    else errs.push(fieldErr.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, index('spec.ports', i))));
  if (isObj(spec.selector)) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(fieldErr.required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(fieldErr.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') errs.push(...validateClientIPAffinity(spec.sessionAffinityConfig));
  else if (affinity === 'None' && isObj(spec.sessionAffinityConfig))
    errs.push(fieldErr.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));

  errs.push(...validateServiceClusterIPsRelatedFields(svc));
  strs(spec.externalIPs).forEach((ip, i) => {
    const e = validateIP(index('spec.externalIPs', i), ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(index('spec.externalIPs', i), ip)));
  });
  if (!type) errs.push(fieldErr.required('spec.type'));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type))
    errs.push(fieldErr.notSupported('spec.type', type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (num(p.nodePort)) errs.push(fieldErr.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!num(p.nodePort)) return;
    const k = `${str(p.protocol)}/${num(p.nodePort)}`;
    if (nodePorts.has(k)) errs.push(fieldErr.duplicate(`spec.ports[${i}].nodePort`, num(p.nodePort)));
    nodePorts.add(k);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${str(p.protocol)}/${num(p.port)}`;
    if (portKeys.has(k)) errs.push(fieldErr.duplicate(`spec.ports[${i}]`, goServicePortKey(str(p.protocol), num(p.port))));
    portKeys.add(k);
  });
  errs.push(...validateSourceRanges(spec, annotations));
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer')
    errs.push(fieldErr.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  // The path really lacks "spec." upstream.
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null))
    errs.push(fieldErr.required('allocateLoadBalancerNodePorts'));
  errs.push(...validateLoadBalancerClass(undefined, svc));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

function validateClientIPAffinity(cfg: unknown): FieldError[] {
  const when = 'when session affinity type is ClientIP';
  if (!isObj(cfg)) return [fieldErr.required('spec.sessionAffinityConfig', when)];
  if (!isObj(cfg.clientIP)) return [fieldErr.required('spec.sessionAffinityConfig.clientIP', when)];
  const t = cfg.clientIP.timeoutSeconds;
  if (typeof t !== 'number') return [fieldErr.required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', when)];
  if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS)
    return [fieldErr.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  return [];
}

function validateSourceRanges(spec: Obj, annotations: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ranges = strs(spec.loadBalancerSourceRanges);
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length) {
    // The capital L is upstream's.
    const path = 'spec.LoadBalancerSourceRanges';
    if (str(spec.type) !== 'LoadBalancer') errs.push(fieldErr.forbidden(path, lbOnly));
    ranges.forEach((r, i) => errs.push(...validateCIDR(index(path, i), r.trim())));
  } else if (LB_SOURCE_RANGES_ANNOTATION in annotations) {
    const path = `metadata.annotations[${LB_SOURCE_RANGES_ANNOTATION}]`;
    if (str(spec.type) !== 'LoadBalancer') errs.push(fieldErr.forbidden(path, lbOnly));
    const val = str(annotations[LB_SOURCE_RANGES_ANNOTATION]).trim();
    if (val) for (const r of val.split(',')) errs.push(...validateCIDR(path, r.trim()));
  }
  return errs;
}

function validateClusterIPsUpdate(oldSvc: Obj, svc: Obj): FieldError[] {
  const o = obj(oldSvc.spec);
  const n = obj(svc.spec);
  if (str(n.type) === 'ExternalName' || str(o.type) === 'ExternalName') return [];
  if (isHeadless(oldSvc) && isHeadless(svc)) return [];
  const errs: FieldError[] = [];
  const oldIPs = strs(o.clusterIPs);
  const ips = strs(n.clusterIPs);
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(fieldErr.invalid(index('spec.clusterIPs', i), ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(fieldErr.invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length && ips.length && ips[0] !== oldIPs[0]) errs.push(fieldErr.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    if (ips.length === 1 && n.ipFamilyPolicy !== 'SingleStack')
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
  }
  return errs;
}

function validateIPFamiliesUpdate(oldSvc: Obj, svc: Obj): FieldError[] {
  const o = obj(oldSvc.spec);
  const n = obj(svc.spec);
  if (str(n.type) === 'ExternalName' || str(o.type) === 'ExternalName') return [];
  if (isHeadless(oldSvc) !== isHeadless(svc) || isHeadless(svc)) return [];
  const errs: FieldError[] = [];
  const oldF = strs(o.ipFamilies);
  const fams = strs(n.ipFamilies);
  // Go prints the []core.IPFamily value with its type name.
  const famsValue = new GoValue(`[]core.IPFamily{${fams.map(goQuote).join(', ')}}`);
  const ips = strs(n.clusterIPs);
  if (oldF.length === fams.length) {
    oldF.forEach((f, i) => {
      if (f !== fams[i]) errs.push(fieldErr.invalid('spec.ipFamilies[0]', famsValue, 'may not change once set'));
    });
  } else if (oldF.length > fams.length) {
    if (ips.length === 0) errs.push(fieldErr.invalid('spec.ipFamilies[0]', famsValue, 'primary ipFamily can not be unset'));
    if (fams.length && fams[0] !== oldF[0]) errs.push(fieldErr.invalid('spec.ipFamilies[0]', ips, 'may not change once set'));
    if (fams.length === 1 && n.ipFamilyPolicy !== 'SingleStack')
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
  } else if (oldF.length && fams.length && fams[0] !== oldF[0]) {
    errs.push(fieldErr.invalid('spec.ipFamilies[0]', ips, 'may not change once set'));
  }
  return errs;
}

/** ValidateServiceUpdate. */
export function validateServiceUpdate(svc: Obj, oldSvc: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(svc.metadata, oldSvc.metadata);
  errs.push(...validateClusterIPsUpdate(oldSvc, svc));
  errs.push(...validateIPFamiliesUpdate(oldSvc, svc));
  errs.push(...validateLoadBalancerClass(oldSvc, svc));
  const o = obj(oldSvc.spec);
  const n = obj(svc.spec);
  if (needsHealthCheck(o) && needsHealthCheck(n) && num(o.healthCheckNodePort) !== num(n.healthCheckNodePort))
    errs.push(fieldErr.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  return [...errs, ...validateService(svc)];
}
