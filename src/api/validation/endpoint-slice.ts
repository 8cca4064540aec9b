// discovery.k8s.io/v1 EndpointSlice validation (pkg/apis/discovery/validation).
import { FieldError, fieldErr } from '../field-errors.js';
import {
  type Obj,
  arr,
  child,
  index,
  invalidEach,
  isObj,
  obj,
  str,
  strs,
  validateDNS1123Label,
  validateLabels,
  validateQualifiedName,
} from './common.js';
import { validateIPv4, validateIPv6, validateNonSpecialIP } from './ip.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from './names.js';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { SUPPORTED_PORT_PROTOCOLS } from './pod-containers.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

/** IsFullyQualifiedDomainName. */
function validateFQDN(path: string, name: string): FieldError[] {
  if (!name) return [fieldErr.required(path)];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length) return [fieldErr.invalid(path, n, sub.join(','))];
  if (n.split('.').length < 2) return [fieldErr.invalid(path, n, 'should be a domain with at least two segments separated by dots')];
  for (const label of n.split('.')) {
    const l = isDNS1123Label(label);
    if (l.length) return [fieldErr.invalid(path, label, l.join(','))];
  }
  return [];
}

function validateEndpoints(endpoints: unknown, addressType: string, path: string): FieldError[] {
  const list = arr(endpoints);
  if (list.length > MAX_ENDPOINTS) return [fieldErr.tooMany(path, list.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  list.forEach((ep, i) => {
    const idx = index(path, i);
    const addrPath = child(idx, 'addresses');
    const addrs = strs(ep.addresses);
    if (addrs.length === 0) errs.push(fieldErr.required(addrPath, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(fieldErr.tooMany(addrPath, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => {
      const p = index(addrPath, j);
      if (addressType === 'IPv4' || addressType === 'IPv6') {
        const e = addressType === 'IPv4' ? validateIPv4(p, a) : validateIPv6(p, a);
        errs.push(...(e.length ? e : validateNonSpecialIP(p, a)));
      } else if (addressType === 'FQDN') errs.push(...validateFQDN(p, a));
    });
    if (typeof ep.nodeName === 'string') errs.push(...invalidEach(child(idx, 'nodeName'), ep.nodeName, isDNS1123Subdomain(ep.nodeName)));
    const topo = obj(ep.deprecatedTopology);
    if (Object.keys(topo).length > MAX_TOPOLOGY_LABELS)
      errs.push(fieldErr.tooMany(child(idx, 'deprecatedTopology'), Object.keys(topo).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topo, child(idx, 'deprecatedTopology')));
    if (typeof ep.hostname === 'string') errs.push(...validateDNS1123Label(ep.hostname, child(idx, 'hostname')));
    if (isObj(ep.hints)) {
      const fz = arr(ep.hints.forZones);
      const fzPath = child(child(idx, 'hints'), 'forZones');
      if (fz.length > MAX_ZONE_HINTS) errs.push(fieldErr.tooMany(fzPath, fz.length, MAX_ZONE_HINTS));
      else {
        const seen = new Set<string>();
        fz.forEach((z, k) => {
          const zp = child(index(fzPath, k), 'name');
          const name = str(z.name);
          if (seen.has(name)) errs.push(fieldErr.duplicate(zp, name));
          else seen.add(name);
          errs.push(...invalidEach(zp, name, isValidLabelValue(name)));
        });
      }
    }
  });
  return errs;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const list = arr(ports);
  if (list.length > MAX_PORTS) return [fieldErr.tooMany(path, list.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((p, i) => {
    const idx = index(path, i);
    const name = str(p.name);
    if (name) errs.push(...validateDNS1123Label(name, child(idx, 'name')));
    if (names.has(name)) errs.push(fieldErr.duplicate(child(idx, 'name'), name));
    else names.add(name);
    if (typeof p.protocol !== 'string') errs.push(fieldErr.required(child(idx, 'protocol')));
    else if (!(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(p.protocol))
      errs.push(fieldErr.notSupported(child(idx, 'protocol'), p.protocol, SUPPORTED_PORT_PROTOCOLS));
    if (typeof p.appProtocol === 'string') errs.push(...validateQualifiedName(p.appProtocol, child(idx, 'appProtocol')));
  });
  return errs;
}

export function validateEndpointSlice(slice: Obj): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  const at = str(slice.addressType);
  if (!at) errs.push(fieldErr.required('addressType'));
  else if (!(ADDRESS_TYPES as readonly string[]).includes(at)) errs.push(fieldErr.notSupported('addressType', at, ADDRESS_TYPES));
  errs.push(...validateEndpoints(slice.endpoints, at, 'endpoints'));
  errs.push(...validatePorts(slice.ports, 'ports'));
  return errs;
}

export function validateEndpointSliceUpdate(slice: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(slice.metadata, old.metadata);
  errs.push(...validateEndpointSlice(slice));
  errs.push(...validateImmutableField(str(slice.addressType), str(old.addressType), 'addressType'));
  return errs;
}
