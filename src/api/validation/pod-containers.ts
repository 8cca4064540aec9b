// Container-level rules of ValidatePodSpec (pkg/apis/core/validation): names, images, ports, env,
// probes, mounts and resources, with upstream's messages.
import { FieldError, fieldErr } from '../field-errors.js';
import { type Obj, arr, child, index, invalidEach, isObj, key, notSupportedInOrder, num, obj, str, validateDNS1123Label, validateNonnegative } from './common.js';
import { isConfigMapKey, isHTTPHeaderName, isValidPortName, isValidPortNum, regexError } from './names.js';
import { parseQuantity } from './quantity.js';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return invalidEach(path, num(port), isValidPortNum(num(port)));
}

export function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((p, i) => {
    const idx = index(path, i);
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(child(idx, 'name'), name, msgs));
      else if (names.has(name)) errs.push(fieldErr.duplicate(child(idx, 'name'), name));
      else names.add(name);
    }
    if (!num(p.containerPort)) errs.push(fieldErr.required(child(idx, 'containerPort')));
    else errs.push(...invalidEach(child(idx, 'containerPort'), num(p.containerPort), isValidPortNum(num(p.containerPort))));
    if (num(p.hostPort)) errs.push(...invalidEach(child(idx, 'hostPort'), num(p.hostPort), isValidPortNum(num(p.hostPort))));
    const proto = str(p.protocol);
    if (!proto) errs.push(fieldErr.required(child(idx, 'protocol')));
    else if (!(SUPPORTED_PORT_PROTOCOLS as readonly string[]).includes(proto))
      errs.push(fieldErr.notSupported(child(idx, 'protocol'), proto, SUPPORTED_PORT_PROTOCOLS));
  });
  return errs;
}

/** checkHostPortConflicts: "<protocol>/<hostIP>/<hostPort>" must be unique across the list. */
export function checkHostPortConflicts(containers: readonly Obj[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    arr(c.ports).forEach((p, pi) => {
      if (!num(p.hostPort)) return;
      const k = `${str(p.protocol)}/${str(p.hostIP)}/${num(p.hostPort)}`;
      if (seen.has(k)) errs.push(fieldErr.duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), k));
      else seen.add(k);
    });
  });
  return errs;
}

const ENV_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_NAME_ERR = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

function isEnvVarName(v: string): string[] {
  const errs = new RegExp(`^${ENV_NAME_FMT}$`).test(v) ? [] : [regexError(ENV_NAME_ERR, ENV_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1')];
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((ev, i) => {
    const idx = index(path, i);
    const name = str(ev.name);
    if (!name) errs.push(fieldErr.required(child(idx, 'name')));
    else errs.push(...invalidEach(child(idx, 'name'), name, isEnvVarName(name)));
    if (!isObj(ev.valueFrom)) return;
    const vf = ev.valueFrom;
    const vfPath = child(idx, 'valueFrom');
    let sources = 0;
    for (const s of ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef']) if (isObj(vf[s])) sources++;
    for (const s of ['configMapKeyRef', 'secretKeyRef']) {
      if (!isObj(vf[s])) continue;
      const k = str(vf[s].key);
      if (!k) errs.push(fieldErr.required(child(child(vfPath, s), 'key')));
      else errs.push(...invalidEach(child(child(vfPath, s), 'key'), k, isConfigMapKey(k)));
    }
    if (isObj(vf.fieldRef) && !str(vf.fieldRef.fieldPath)) errs.push(fieldErr.required(child(child(vfPath, 'fieldRef'), 'fieldPath')));
    if (sources === 0) {
      errs.push(fieldErr.invalid(vfPath, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    } else if (str(ev.value)) {
      errs.push(fieldErr.invalid(vfPath, '', 'may not be specified when `value` is not empty'));
    } else if (sources > 1) {
      errs.push(fieldErr.invalid(vfPath, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}

function validateHandler(h: Obj, path: string, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    if (!isObj(h[kind])) continue;
    const p = child(path, kind);
    if (n > 0) {
      errs.push(fieldErr.forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    const a = h[kind];
    if (kind === 'exec' && !(Array.isArray(a.command) && a.command.length)) errs.push(fieldErr.required(child(p, 'command')));
    if (kind === 'httpGet') {
      if (!str(a.path)) errs.push(fieldErr.required(child(p, 'path')));
      errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
      if (!['HTTP', 'HTTPS'].includes(str(a.scheme))) errs.push(fieldErr.notSupported(child(p, 'scheme'), str(a.scheme), ['HTTP', 'HTTPS']));
      for (const hd of arr(a.httpHeaders)) errs.push(...invalidEach(child(p, 'httpHeaders'), str(hd.name), isHTTPHeaderName(str(hd.name))));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(num(a.port), child(p, 'port')));
  }
  if (n === 0) errs.push(fieldErr.required(path, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

export function validateProbe(probe: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, PROBE_HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    errs.push(...validateNonnegative(num(probe[f]), child(path, f)));
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) errs.push(fieldErr.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && num(probe.successThreshold) !== 1)
    errs.push(fieldErr.invalid(child(path, 'successThreshold'), num(probe.successThreshold), 'must be 1'));
  if (kind === 'readiness' && typeof tgps === 'number')
    errs.push(fieldErr.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  return errs;
}

export function validateLifecycle(lc: unknown, path: string): FieldError[] {
  if (!isObj(lc)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) if (isObj(lc[hook])) errs.push(...validateHandler(lc[hook], child(path, hook), LIFECYCLE_HANDLERS));
  return errs;
}

function validateResources(res: unknown, path: string): FieldError[] {
  const r = obj(res);
  const errs: FieldError[] = [];
  const limits = obj(r.limits);
  const requests = obj(r.requests);
  for (const [name, q] of Object.entries(limits)) {
    const v = parseQuantity(q);
    if (v !== undefined && v < 0n) errs.push(fieldErr.invalid(key(child(path, 'limits'), name), String(q), 'must be greater than or equal to 0'));
  }
  for (const [name, q] of Object.entries(requests)) {
    const p = key(child(path, 'requests'), name);
    const v = parseQuantity(q);
    if (v !== undefined && v < 0n) errs.push(fieldErr.invalid(p, String(q), 'must be greater than or equal to 0'));
    const lim = parseQuantity(limits[name]);
    if (v !== undefined && lim !== undefined && v > lim)
      errs.push(fieldErr.invalid(p, String(q), `must be less than or equal to ${name} limit of ${String(limits[name])}`));
  }
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(mounts).forEach((m, i) => {
    const idx = index(path, i);
    const name = str(m.name);
    const mp = str(m.mountPath);
    if (!name) errs.push(fieldErr.required(child(idx, 'name')));
    if (!volumes.has(name)) errs.push(fieldErr.notFound(child(idx, 'name'), name));
    if (!mp) errs.push(fieldErr.required(child(idx, 'mountPath')));
    if (seen.has(mp)) errs.push(fieldErr.invalid(child(idx, 'mountPath'), mp, 'must be unique'));
    seen.add(mp);
  });
  return errs;
}

/** validateContainerCommon. */
export function validateContainerCommon(c: Obj, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(fieldErr.required(child(path, 'name')));
  else errs.push(...validateDNS1123Label(name, child(path, 'name')));
  if (!str(c.image)) errs.push(fieldErr.required(child(path, 'image')));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(fieldErr.required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupportedInOrder(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(path, 'volumeMounts')));
  const pp = str(c.imagePullPolicy);
  if (!pp) errs.push(fieldErr.required(child(path, 'imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pp))
    errs.push(fieldErr.notSupported(child(path, 'imagePullPolicy'), pp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResources(c.resources, child(path, 'resources')));
  return errs;
}

/** validateContainers (regular containers). */
export function validateContainers(containers: unknown, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const list = arr(containers);
  if (list.length === 0) return [fieldErr.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const idx = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, idx));
    if (names.has(str(c.name))) errs.push(fieldErr.duplicate(child(idx, 'name'), str(c.name)));
    else names.add(str(c.name));
    errs.push(...validateLifecycle(c.lifecycle, child(idx, 'lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, child(idx, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, child(idx, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c.startupProbe, child(idx, 'startupProbe'), 'startup'));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null)
      errs.push(fieldErr.forbidden(child(idx, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

const INIT_ONLY_MSG = 'may not be set for init containers without restartPolicy=Always';

/** validateInitContainers: names unique across init and regular containers. */
export function validateInitContainers(inits: unknown, regular: unknown, volumes: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(arr(regular).map((c) => str(c.name)));
  arr(inits).forEach((c, i) => {
    const idx = index(path, i);
    errs.push(...validateContainerCommon(c, volumes, idx));
    const rp = c.restartPolicy;
    if (rp !== undefined && rp !== null && rp !== 'Always') errs.push(fieldErr.notSupported(child(idx, 'restartPolicy'), str(rp), ['Always']));
    const name = str(c.name);
    if (names.has(name)) errs.push(fieldErr.duplicate(child(idx, 'name'), name));
    else if (name) names.add(name);
    errs.push(...checkHostPortConflicts([c], path));
    if (rp === 'Always') {
      errs.push(...validateLifecycle(c.lifecycle, child(idx, 'lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, child(idx, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, child(idx, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(c.startupProbe, child(idx, 'startupProbe'), 'startup'));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'])
        if (isObj(c[f])) errs.push(fieldErr.forbidden(child(idx, f), INIT_ONLY_MSG));
    }
  });
  return errs;
}
