// A container's environment, built as the kubelet's makeEnvironmentVariables does: envFrom
// first, then env (values `$(VAR)`-expanded against what is defined so far and the Service
// variables), then the Service variables (docker-links style, pkg/kubelet/envvars) for every
// name the user did not set. Pure: the caller supplies the Services and ConfigMaps it knows.
import { expand, mappingFuncFor } from './expansion.js';
import { isServiceIPSet, servicePorts } from '../../api/service.js';
import { joinHostPort } from '../../util/ip.js';
import type { ConfigMap, Container, KeySelector, Pod, Service } from '../../api/types/core/v1.js';

export interface EnvInputs {
  readonly pod: Pod;
  readonly container: Container;
  readonly podIPs: readonly string[];
  readonly hostIPs: readonly string[];
  /** Every Service the agent knows (all namespaces); undefined when the lister is not there. */
  readonly services?: readonly Service[];
  /** ConfigMaps and Secrets of the Pod's namespace; undefined when not found. */
  readonly configMap: (name: string) => ConfigMap | undefined;
  readonly secret?: (name: string) => { data?: Record<string, string> } | undefined;
}

export interface EnvVarValue {
  readonly name: string;
  readonly value: string;
}

export type EnvResult =
  | { readonly env: EnvVarValue[]; readonly invalidKeys?: { source: string; keys: string[] }[] }
  | { readonly error: string };

const masterServiceNamespace = 'default';
const masterServices = new Set(['kubernetes']);

/** makeEnvVariableName: upper case, dashes to underscores. */
export function envVariableName(s: string): string {
  return s.toUpperCase().replaceAll('-', '_');
}

/** FromServices: the variables of each Service, in emission order. */
export function serviceEnvVars(services: readonly Service[]): EnvVarValue[] {
  const out: EnvVarValue[] = [];
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const ip = svc.spec!.clusterIP!;
    const ports = servicePorts(svc);
    const prefix = envVariableName(svc.metadata.name!);
    out.push({ name: `${prefix}_SERVICE_HOST`, value: ip });
    if (ports.length > 0) out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port) });
    for (const p of ports) {
      if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envVariableName(p.name)}`, value: String(p.port) });
    }
    if (ports.length === 0) continue;
    const first = ports[0]!;
    out.push({ name: `${prefix}_PORT`, value: `${(first.protocol || 'TCP').toLowerCase()}://${joinHostPort(ip, first.port)}` });
    for (const p of ports) {
      const proto = (p.protocol || 'TCP').toUpperCase();
      const base = `${prefix}_PORT_${p.port}_${proto}`;
      out.push({ name: base, value: `${proto.toLowerCase()}://${joinHostPort(ip, p.port)}` });
      out.push({ name: `${base}_PROTO`, value: proto.toLowerCase() });
      out.push({ name: `${base}_PORT`, value: String(p.port) });
      out.push({ name: `${base}_ADDR`, value: ip });
    }
  }
  return out;
}

/**
 * getServiceEnvVarMap: `kubernetes` from `default` always; the Pod's namespace's Services when
 * enableServiceLinks (default true), where a same-named one replaces the master service.
 */
export function serviceEnvVarMap(services: readonly Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, Service>();
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue;
    const name = svc.metadata.name!;
    if (svc.metadata.namespace === masterServiceNamespace && masterServices.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (svc.metadata.namespace === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const sorted = [...chosen.keys()].sort().map((k) => chosen.get(k)!);
  return new Map(serviceEnvVars(sorted).map((e) => [e.name, e.value]));
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on since 1.32): printable ASCII, no '='. */
function isEnvVarName(name: string): boolean {
  return name.length > 0 && /^[\x20-\x7e]+$/.test(name) && !name.includes('=');
}

/** The downward API value of a fieldRef (podFieldSelectorRuntimeValue + ExtractFieldPathAsString). */
export function fieldRefValue(pod: Pod, fieldPath: string, podIPs: readonly string[], hostIPs: readonly string[]): string {
  switch (fieldPath) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
  }
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]!] ?? '';
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** fieldpath.FormatMap: sorted `key="value"` lines. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

/**
 * The container's environment, or the error the kubelet would report (the container then waits
 * with reason CreateContainerConfigError). Order: user variables as written, then Service ones.
 */
export function makeEnvironmentVariables(inputs: EnvInputs): EnvResult {
  const { pod, container } = inputs;
  const namespace = pod.metadata.namespace ?? 'default';
  const serviceEnv = inputs.services ? serviceEnvVarMap(inputs.services, namespace, pod.spec?.enableServiceLinks ?? true) : new Map<string, string>();
  const tmp = new Map<string, string>();
  const invalidKeys: { source: string; keys: string[] }[] = [];

  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const name = ref.name ?? '';
    const isSecret = from.configMapRef === undefined;
    const data = isSecret ? inputs.secret?.(name)?.data : inputs.configMap(name)?.data;
    const found = isSecret ? inputs.secret?.(name) !== undefined : inputs.configMap(name) !== undefined;
    if (!found) {
      if (ref.optional) continue;
      return { error: `${isSecret ? 'secret' : 'configmap'} "${name}" not found` };
    }
    const skipped: string[] = [];
    for (const [k, v] of Object.entries(data ?? {})) {
      const key = (from.prefix ?? '') + k;
      if (!isEnvVarName(key)) {
        skipped.push(key);
        continue;
      }
      tmp.set(key, isSecret ? Buffer.from(v, 'base64').toString() : v);
    }
    if (skipped.length > 0) invalidKeys.push({ source: `${isSecret ? 'secret' : 'configMap'} ${namespace}/${name}`, keys: skipped.sort() });
  }

  const mapping = mappingFuncFor(tmp, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') {
      value = expand(value, mapping);
    } else if (e.valueFrom) {
      const from = e.valueFrom;
      try {
        if (from.fieldRef) {
          value = fieldRefValue(pod, from.fieldRef.fieldPath, inputs.podIPs, inputs.hostIPs);
        } else if (from.configMapKeyRef) {
          const got = keyRef(from.configMapKeyRef, 'configmap', 'ConfigMap', namespace, (n) => inputs.configMap(n)?.data, (n) => inputs.configMap(n) !== undefined);
          if (got === undefined) continue;
          value = got;
        } else if (from.secretKeyRef) {
          const got = keyRef(from.secretKeyRef, 'secret', 'Secret', namespace, (n) => inputs.secret?.(n)?.data, (n) => inputs.secret?.(n) !== undefined);
          if (got === undefined) continue;
          value = Buffer.from(got, 'base64').toString();
        } else if (from.resourceFieldRef) {
          return { error: `resourceFieldRef (${from.resourceFieldRef.resource}) is not supported by svcnet` };
        }
      } catch (err) {
        return { error: (err as Error).message };
      }
    }
    tmp.set(e.name, value);
  }

  for (const [k, v] of serviceEnv) if (!tmp.has(k)) tmp.set(k, v);
  const env = [...tmp].map(([name, value]) => ({ name, value }));
  return invalidKeys.length > 0 ? { env, invalidKeys } : { env };
}

// A configMapKeyRef/secretKeyRef: undefined means "optional and absent, leave the variable out".
function keyRef(
  sel: KeySelector,
  resource: string,
  kind: string,
  namespace: string,
  data: (name: string) => Record<string, string> | undefined,
  exists: (name: string) => boolean,
): string | undefined {
  const name = sel.name ?? '';
  if (!exists(name)) {
    if (sel.optional) return undefined;
    throw new Error(`${resource} "${name}" not found`);
  }
  const v = data(name)?.[sel.key];
  if (v === undefined) {
    if (sel.optional) return undefined;
    throw new Error(`couldn't find key ${sel.key} in ${kind} ${namespace}/${name}`);
  }
  return v;
}

/** ExpandContainerCommandAndArgs: `$(VAR)` in command and args against the final environment. */
export function expandCommandAndArgs(container: Container, env: readonly EnvVarValue[]): { command?: string[]; args?: string[] } {
  const mapping = mappingFuncFor(new Map(env.map((e) => [e.name, e.value])));
  return {
    command: container.command?.map((c) => expand(c, mapping)),
    args: container.args?.map((a) => expand(a, mapping)),
  };
}
