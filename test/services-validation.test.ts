// Invalid Services created through the real kubectl, each compared with what kubectl prints
// against a real 1.32 cluster. Every expected text is derived from upstream sources
// (pkg/apis/core/validation/validation.go ValidateService & co., k8s.io/apimachinery's
// validation messages and field.Error rendering, pkg/registry/core/service/storage/alloc.go and
// the ip/port allocators' errors, pkg/api/service/warnings.go as of 1.32, kubectl's checkErr),
// never from what svcnet prints.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary, type KubectlResult } from './helpers/kubectl.js';

// ---- upstream message texts --------------------------------------------------------------
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QNAME_BODY =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const LB_ONLY = "may only be used when `type` is 'LoadBalancer'";
const HC_ONLY = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
const NODE_PORT_RANGE = 'provided port is not in the valid range. The range of valid ports is 30000-32767';
const SRC_RANGES_ANN = 'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]';
const PROTOCOLS = 'supported values: "SCTP", "TCP", "UDP"';
/** %#v of the core.ServicePort key ValidateService uses for duplicate (protocol, port) pairs. */
const portKey = (protocol: string, port: number) =>
  `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;

/** A 422 as the server words it: the Service name and its causes (`<field>: <ErrorBody>`). */
interface Invalid {
  readonly name: string;
  readonly causes: readonly string[];
}
const invalid = (name: string, ...causes: string[]): Invalid => ({ name, causes: [...new Set(causes)] });

/** kubectl's checkErr for one 422: rebuilt from details.causes, inline or as a `* ` list. */
function printedByKubectl(e: Invalid): string {
  const head = `The Service "${e.name}" is invalid: `;
  return e.causes.length === 1 ? `${head}${e.causes[0]}\n` : `${head}\n${e.causes.map((c) => `* ${c}\n`).join('')}`;
}
/**
 * One line of kubectl's MultipleErrors (several failed documents): StandardErrorMessage of the
 * status, whose message is errors.NewInvalid's `Service "x" is invalid: <aggregate>`.
 */
function printedInBatch(e: Invalid): string {
  const agg = e.causes.length === 1 ? e.causes[0] : `[${e.causes.join(', ')}]`;
  return `Error from server (Invalid): error when creating "STDIN": Service "${e.name}" is invalid: ${agg}\n`;
}
/** kubectl create's other errors: StandardErrorMessage over AddSourceToErr("creating", "STDIN"). */
const creating = (reason: string, message: string) => `Error from server (${reason}): error when creating "STDIN": ${message}\n`;

// ---- manifests --------------------------------------------------------------------------
type Obj = Record<string, unknown>;
function svc(name: string | undefined, spec: Obj, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { ...(name === undefined ? {} : { name }), ...metadata }, spec };
}
const P80 = [{ port: 80 }];
const lb = (spec: Obj): Obj => ({ type: 'LoadBalancer', ports: P80, ...spec });
const np = (spec: Obj): Obj => ({ type: 'NodePort', ports: P80, ...spec });

interface Case {
  readonly title: string;
  /** Objects created (and expected to succeed) before the case runs. */
  readonly setup?: readonly Obj[];
  readonly manifest: Obj;
  /** A 422, or the exact stderr of any other outcome. */
  readonly stderr: Invalid | string;
  /** Default: a failure (exit 1, nothing on stdout). */
  readonly stdout?: string;
  /** Run this 422 alone to see kubectl's own rendering (the rest share kubectl invocations). */
  readonly alone?: boolean;
}

const long = (n: number, ch = 'a') => ch.repeat(n);

const CASES: Case[] = [
  // -- metadata.name: ValidateServiceName = NameIsDNS1035Label ------------------------------
  ...['1abc', 'My-Service', 'my_svc', 'web-', 'a.b'].map((n) => ({
    title: `name ${n}`,
    manifest: svc(n, { ports: P80 }),
    stderr: invalid(n, `metadata.name: Invalid value: "${n}": ${DNS1035}`),
  })),
  { title: 'name too long', manifest: svc(long(64), { ports: P80 }), stderr: invalid(long(64), `metadata.name: Invalid value: "${long(64)}": must be no more than 63 characters`) },
  {
    title: 'name too long and not a label', alone: true,
    manifest: svc(`A${long(63)}`, { ports: P80 }),
    stderr: invalid(`A${long(63)}`, `metadata.name: Invalid value: "A${long(63)}": must be no more than 63 characters`, `metadata.name: Invalid value: "A${long(63)}": ${DNS1035}`),
  },
  { title: 'no name', alone: true, manifest: svc(undefined, { ports: P80 }), stderr: invalid('', 'metadata.name: Required value: name or generateName is required') },
  {
    title: 'bad label key',
    manifest: svc('v-label', { ports: P80 }, { labels: { 'bad key': 'x' } }),
    stderr: invalid('v-label', `metadata.labels: Invalid value: "bad key": name part ${QNAME_BODY}`),
  },
  // -- ports ---------------------------------------------------------------------------------
  { title: 'no ports', alone: true, manifest: svc('v-noports', { selector: { app: 'x' } }), stderr: invalid('v-noports', 'spec.ports: Required value') },
  { title: 'empty ports', manifest: svc('v-emptyports', { ports: [] }), stderr: invalid('v-emptyports', 'spec.ports: Required value') },
  {
    title: 'two unnamed ports', alone: true,
    manifest: svc('v-unnamed', { ports: [{ port: 80 }, { port: 81 }] }),
    stderr: invalid('v-unnamed', 'spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'),
  },
  {
    title: 'second port unnamed',
    manifest: svc('v-unnamed2', { ports: [{ name: 'http', port: 80 }, { port: 81 }] }),
    stderr: invalid('v-unnamed2', 'spec.ports[1].name: Required value'),
  },
  {
    title: 'duplicate port names',
    manifest: svc('v-dupname', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }),
    stderr: invalid('v-dupname', 'spec.ports[1].name: Duplicate value: "http"'),
  },
  ...['HTTP', 'web_1', '-http'].map((n, i) => ({
    title: `port name ${n}`,
    manifest: svc(`v-portname${i}`, { ports: [{ name: n, port: 80 }] }),
    stderr: invalid(`v-portname${i}`, `spec.ports[0].name: Invalid value: "${n}": ${DNS1123_LABEL}`),
  })),
  {
    title: 'port name with dots',
    manifest: svc('v-portdots', { ports: [{ name: 'a.b', port: 80 }] }),
    stderr: invalid('v-portdots', 'spec.ports[0].name: Invalid value: "a.b": must not contain dots'),
  },
  {
    title: 'port name too long',
    manifest: svc('v-portlong', { ports: [{ name: long(64, 'p'), port: 80 }] }),
    stderr: invalid('v-portlong', `spec.ports[0].name: Invalid value: "${long(64, 'p')}": must be no more than 63 characters`),
  },
  {
    title: 'port 0 (targetPort defaults to it)', alone: true,
    manifest: svc('v-port0', { ports: [{ port: 0 }] }),
    stderr: invalid('v-port0', `spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}`, `spec.ports[0].targetPort: Invalid value: 0: ${PORT_RANGE}`),
  },
  {
    title: 'port 65536',
    manifest: svc('v-port65536', { ports: [{ port: 65536 }] }),
    stderr: invalid('v-port65536', `spec.ports[0].port: Invalid value: 65536: ${PORT_RANGE}`, `spec.ports[0].targetPort: Invalid value: 65536: ${PORT_RANGE}`),
  },
  {
    title: 'port 70000 with a targetPort',
    manifest: svc('v-port70000', { ports: [{ port: 70000, targetPort: 8080 }] }),
    stderr: invalid('v-port70000', `spec.ports[0].port: Invalid value: 70000: ${PORT_RANGE}`),
  },
  {
    title: 'negative port',
    manifest: svc('v-portneg', { ports: [{ port: -1, targetPort: 80 }] }),
    stderr: invalid('v-portneg', `spec.ports[0].port: Invalid value: -1: ${PORT_RANGE}`),
  },
  ...['tcp', 'ICMP'].map((p) => ({
    title: `protocol ${p}`,
    manifest: svc(`v-proto-${p.toLowerCase()}`, { ports: [{ port: 80, protocol: p }] }),
    stderr: invalid(`v-proto-${p.toLowerCase()}`, `spec.ports[0].protocol: Unsupported value: "${p}": ${PROTOCOLS}`),
  })),
  ...[70000, -5].map((tp, i) => ({
    title: `targetPort ${tp}`,
    manifest: svc(`v-tp${i}`, { ports: [{ port: 80, targetPort: tp }] }),
    stderr: invalid(`v-tp${i}`, `spec.ports[0].targetPort: Invalid value: ${tp}: ${PORT_RANGE}`),
  })),
  // Named targetPorts follow IANA_SVC_NAME (validation.IsValidPortName), one cause per rule.
  ...(
    [
      ['metrics-endpoint', ['must be no more than 15 characters']],
      ['HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
      ['123', ['must contain at least one letter (a-z)']],
      ['my--port', ['must not contain consecutive hyphens']],
      ['-http', ['must not begin or end with a hyphen']],
      ['http-', ['must not begin or end with a hyphen']],
      ['my_port', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
      ['a-very-long--name-', ['must be no more than 15 characters', 'must not contain consecutive hyphens', 'must not begin or end with a hyphen']],
    ] as const
  ).map(([tp, msgs], i) => ({
    title: `targetPort name ${tp}`,
    manifest: svc(`v-tpname${i}`, { ports: [{ port: 80, targetPort: tp }] }),
    stderr: invalid(`v-tpname${i}`, ...msgs.map((m) => `spec.ports[0].targetPort: Invalid value: "${tp}": ${m}`)),
  })),
  // appProtocol is a qualified name (validation.IsQualifiedName).
  ...(
    [
      ['my protocol', [`name part ${QNAME_BODY}`]],
      ['a/b/c', [`a qualified name ${QNAME_BODY} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]],
      ['/http', ['prefix part must be non-empty']],
      ['Example.com/http', [`prefix part ${DNS1123_SUBDOMAIN}`]],
      ['', ['name part must be non-empty', `name part ${QNAME_BODY}`]],
    ] as const
  ).map(([ap, msgs], i) => ({
    title: `appProtocol ${JSON.stringify(ap)}`,
    manifest: svc(`v-approto${i}`, { ports: [{ port: 80, appProtocol: ap }] }),
    stderr: invalid(`v-approto${i}`, ...msgs.map((m) => `spec.ports[0].appProtocol: Invalid value: "${ap}": ${m}`)),
  })),
  {
    title: 'duplicate TCP port', alone: true,
    manifest: svc('v-dupport', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, targetPort: 8080 }] }),
    stderr: invalid('v-dupport', `spec.ports[1]: Duplicate value: ${portKey('TCP', 80)}`),
  },
  {
    title: 'duplicate UDP port',
    manifest: svc('v-dupudp', { ports: [{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53, protocol: 'UDP' }] }),
    stderr: invalid('v-dupudp', `spec.ports[1]: Duplicate value: ${portKey('UDP', 53)}`),
  },
  {
    title: 'duplicate name and port',
    manifest: svc('v-dupboth', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] }),
    stderr: invalid('v-dupboth', 'spec.ports[1].name: Duplicate value: "a"', `spec.ports[1]: Duplicate value: ${portKey('TCP', 80)}`),
  },
  {
    title: 'third port duplicates the first',
    manifest: svc('v-dup3', { ports: [{ name: 'a', port: 443 }, { name: 'b', port: 443, protocol: 'UDP' }, { name: 'c', port: 443 }] }),
    stderr: invalid('v-dup3', `spec.ports[2]: Duplicate value: ${portKey('TCP', 443)}`),
  },
  // -- selector (ValidateLabels on spec.selector) ------------------------------------------------
  {
    title: 'selector value with a space',
    manifest: svc('v-selval', { ports: P80, selector: { app: 'a b' } }),
    stderr: invalid('v-selval', `spec.selector: Invalid value: "a b": ${LABEL_VALUE}`),
  },
  {
    title: 'selector key with a space',
    manifest: svc('v-selkey', { ports: P80, selector: { 'bad key': 'x' } }),
    stderr: invalid('v-selkey', `spec.selector: Invalid value: "bad key": name part ${QNAME_BODY}`),
  },
  {
    title: 'selector value too long',
    manifest: svc('v-sellong', { ports: P80, selector: { app: long(64, 'v') } }),
    stderr: invalid('v-sellong', `spec.selector: Invalid value: "${long(64, 'v')}": must be no more than 63 characters`),
  },
  // -- sessionAffinity -----------------------------------------------------------------------------
  {
    title: 'sessionAffinity Sticky',
    manifest: svc('v-affinity', { ports: P80, sessionAffinity: 'Sticky' }),
    stderr: invalid('v-affinity', 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'),
  },
  ...[0, 86401, -1].map((t, i) => ({
    title: `ClientIP timeout ${t}`,
    manifest: svc(`v-timeout${i}`, { ports: P80, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: t } } }),
    stderr: invalid(`v-timeout${i}`, `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${t}: must be greater than 0 and less than 86400`),
  })),
  // -- clusterIP / clusterIPs / ipFamilies / ipFamilyPolicy (returned alone, before allocation) -------
  ...['10.96.0.300', 'not-an-ip'].map((ip, i) => ({
    title: `clusterIP ${ip}`,
    manifest: svc(`v-badip${i}`, { ports: P80, clusterIP: ip }),
    stderr: invalid(`v-badip${i}`, `spec.clusterIPs[0]: Invalid value: "${ip}": ${IP_MSG}`),
  })),
  {
    title: 'None not alone', alone: true,
    manifest: svc('v-none2', { ports: P80, clusterIP: 'None', clusterIPs: ['None', '10.96.0.5'] }),
    stderr: invalid('v-none2', `spec.clusterIPs: Invalid value: []string{"None", "10.96.0.5"}: 'None' must be the first and only value`),
  },
  {
    title: 'None second',
    manifest: svc('v-none-second', { ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'None'] }),
    stderr: invalid('v-none-second', `spec.clusterIPs[1]: Invalid value: "None": ${IP_MSG}`),
  },
  {
    title: 'clusterIPs[0] differs from clusterIP',
    manifest: svc('v-mismatch', { ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.6'] }),
    stderr: invalid('v-mismatch', 'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`'),
  },
  {
    title: 'clusterIPs without clusterIP',
    manifest: svc('v-pluralonly', { ports: P80, clusterIPs: ['10.96.0.5'] }),
    stderr: invalid('v-pluralonly', 'spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: must be empty when `clusterIP` is not specified'),
  },
  {
    // IsDualStackIPStrings only asks for one IP of each family, so three mixed IPs are "dual-stack".
    title: 'three mixed clusterIPs', alone: true,
    manifest: svc('v-three', { ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'fd00::5', '10.96.0.6'] }),
    stderr: invalid('v-three', 'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "fd00::5", "10.96.0.6"}: may only hold up to 2 values'),
  },
  {
    title: 'three IPv4 clusterIPs',
    manifest: svc('v-three4', { ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', '10.96.0.6', '10.96.0.7'] }),
    stderr: invalid(
      'v-three4',
      'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6", "10.96.0.7"}: may only hold up to 2 values',
      'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6", "10.96.0.7"}: may specify no more than one IP for each IP family',
    ),
  },
  {
    title: 'two IPv4 clusterIPs',
    manifest: svc('v-two4', { ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', '10.96.0.6'] }),
    stderr: invalid('v-two4', 'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6"}: may specify no more than one IP for each IP family'),
  },
  {
    title: 'IPv6 clusterIP, IPv4 family',
    manifest: svc('v-fam4', { ports: P80, clusterIP: 'fd00::5', ipFamilies: ['IPv4'] }),
    stderr: invalid('v-fam4', 'spec.clusterIPs[0]: Invalid value: "fd00::5": expected an IPv4 value as indicated by `ipFamilies[0]`'),
  },
  {
    title: 'IPv4 clusterIP, IPv6 family',
    manifest: svc('v-fam6', { ports: P80, clusterIP: '10.96.0.5', ipFamilies: ['IPv6'] }),
    stderr: invalid('v-fam6', 'spec.clusterIPs[0]: Invalid value: "10.96.0.5": expected an IPv6 value as indicated by `ipFamilies[0]`'),
  },
  {
    title: 'ipFamilies IPv5',
    manifest: svc('v-ipv5', { ports: P80, ipFamilies: ['IPv5'] }),
    stderr: invalid('v-ipv5', 'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"'),
  },
  {
    title: 'ipFamilies twice IPv4',
    manifest: svc('v-fam44', { ports: P80, ipFamilies: ['IPv4', 'IPv4'], ipFamilyPolicy: 'RequireDualStack' }),
    stderr: invalid('v-fam44', 'spec.ipFamilies[1]: Duplicate value: "IPv4"'),
  },
  {
    title: 'ipFamilyPolicy DualStack',
    manifest: svc('v-policy', { ports: P80, ipFamilyPolicy: 'DualStack' }),
    stderr: invalid('v-policy', 'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'),
  },
  {
    title: 'RequireDualStack on a single-stack cluster', alone: true,
    manifest: svc('v-require', { ports: P80, ipFamilyPolicy: 'RequireDualStack' }),
    stderr: invalid('v-require', 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'),
  },
  {
    title: 'IPv6 family on an IPv4 cluster',
    manifest: svc('v-ipv6', { ports: P80, ipFamilies: ['IPv6'] }),
    stderr: invalid('v-ipv6', 'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'),
  },
  {
    title: 'PreferDualStack asking for IPv6 on an IPv4 cluster',
    manifest: svc('v-prefer46', { ports: P80, ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' }),
    stderr: invalid('v-prefer46', 'spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster'),
  },
  {
    title: 'IPv6 clusterIP on an IPv4 cluster',
    manifest: svc('v-ip6', { ports: P80, clusterIP: 'fd00::5' }),
    stderr: invalid('v-ip6', 'spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: IPv6 is not configured on this cluster'),
  },
  {
    title: 'SingleStack with two clusterIPs', alone: true,
    manifest: svc('v-single2', { ports: P80, ipFamilyPolicy: 'SingleStack', clusterIP: '10.96.0.7', clusterIPs: ['10.96.0.7', 'fd00::7'] }),
    stderr: invalid(
      'v-single2',
      `spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`,
      'spec.clusterIPs[1]: Invalid value: []string{"10.96.0.7", "fd00::7"}: IPv6 is not configured on this cluster',
    ),
  },
  {
    title: 'SingleStack with two families',
    manifest: svc('v-single2f', { ports: P80, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] }),
    stderr: invalid('v-single2f', `spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`),
  },
  {
    // A missing policy defaults to SingleStack before the check.
    title: 'two families, no policy',
    manifest: svc('v-nopolicy2f', { ports: P80, ipFamilies: ['IPv4', 'IPv6'] }),
    stderr: invalid('v-nopolicy2f', `spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`),
  },
  {
    title: 'headless LoadBalancer', alone: true,
    manifest: svc('v-headless-lb', lb({ clusterIP: 'None', selector: { app: 'x' } })),
    stderr: invalid('v-headless-lb', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`),
  },
  {
    title: 'headless NodePort',
    manifest: svc('v-headless-np', np({ clusterIP: 'None', selector: { app: 'x' } })),
    stderr: invalid('v-headless-np', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`),
  },
  // -- ExternalName -------------------------------------------------------------------------------
  { title: 'ExternalName without a name', alone: true, manifest: svc('v-en-empty', { type: 'ExternalName' }), stderr: invalid('v-en-empty', 'spec.externalName: Required value') },
  ...['foo_bar.com', 'Example.COM'].map((n, i) => ({
    title: `externalName ${n}`,
    manifest: svc(`v-en${i}`, { type: 'ExternalName', externalName: n }),
    stderr: invalid(`v-en${i}`, `spec.externalName: Invalid value: "${n}": ${DNS1123_SUBDOMAIN}`),
  })),
  {
    title: 'externalName with two trailing dots',
    manifest: svc('v-en-dots', { type: 'ExternalName', externalName: 'example.com..' }),
    stderr: invalid('v-en-dots', `spec.externalName: Invalid value: "example.com.": ${DNS1123_SUBDOMAIN}`),
  },
  {
    title: 'externalName too long',
    manifest: svc('v-en-long', { type: 'ExternalName', externalName: `${long(63)}.${long(63)}.${long(63)}.${long(63)}` }),
    stderr: invalid('v-en-long', `spec.externalName: Invalid value: "${long(63)}.${long(63)}.${long(63)}.${long(63)}": must be no more than 253 characters`),
  },
  {
    title: 'ExternalName with a clusterIP',
    manifest: svc('v-en-ip', { type: 'ExternalName', externalName: 'example.com', clusterIP: '10.96.0.9' }),
    stderr: invalid('v-en-ip', 'spec.clusterIPs: Forbidden: may not be set for ExternalName services'),
  },
  {
    title: 'ExternalName with ipFamilies',
    manifest: svc('v-en-fam', { type: 'ExternalName', externalName: 'example.com', ipFamilies: ['IPv4'] }),
    stderr: invalid('v-en-fam', 'spec.ipFamilies: Forbidden: may not be set for ExternalName services'),
  },
  {
    title: 'ExternalName with ipFamilyPolicy',
    manifest: svc('v-en-pol', { type: 'ExternalName', externalName: 'example.com', ipFamilyPolicy: 'SingleStack' }),
    stderr: invalid('v-en-pol', 'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'),
  },
  {
    title: 'ExternalName with externalTrafficPolicy',
    manifest: svc('v-en-etp', { type: 'ExternalName', externalName: 'example.com', externalTrafficPolicy: 'Local' }),
    stderr: invalid('v-en-etp', 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'),
  },
  // -- type -----------------------------------------------------------------------------------------
  ...['Foo', 'clusterip'].map((t, i) => ({
    title: `type ${t}`,
    manifest: svc(`v-type${i}`, { type: t, ports: P80 }),
    stderr: invalid(`v-type${i}`, `spec.type: Unsupported value: "${t}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`),
  })),
  // -- nodePorts: forbidden on ClusterIP, range and collisions from the allocator --------------------
  {
    title: 'nodePort on ClusterIP',
    manifest: svc('v-np-cip', { ports: [{ port: 80, nodePort: 30040 }] }),
    stderr: invalid('v-np-cip', "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
  },
  {
    title: 'two nodePorts on ClusterIP',
    manifest: svc('v-np-cip2', { ports: [{ name: 'a', port: 80, nodePort: 30041 }, { name: 'b', port: 81, nodePort: 30042 }] }),
    stderr: invalid('v-np-cip2', "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", "spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
  },
  ...[80, 40000, -1].map((n, i) => ({
    title: `nodePort ${n}`,
    manifest: svc(`v-np-range${i}`, np({ ports: [{ port: 80, nodePort: n }] })),
    stderr: invalid(`v-np-range${i}`, `spec.ports[0].nodePort: Invalid value: ${n}: ${NODE_PORT_RANGE}`),
  })),
  {
    // The allocator sees the second request of the same port first: validation's Duplicate never shows.
    title: 'same nodePort on two port numbers',
    manifest: svc('v-np-dup', np({ ports: [{ name: 'a', port: 80, nodePort: 30043 }, { name: 'b', port: 81, nodePort: 30043 }] })),
    stderr: invalid('v-np-dup', 'spec.ports[1].nodePort: Invalid value: 30043: provided port is already allocated'),
  },
  {
    title: 'nodePort held by another Service', alone: true,
    setup: [svc('v-np-holder', np({ ports: [{ port: 80, nodePort: 30044 }] }))],
    manifest: svc('v-np-taken', np({ ports: [{ port: 80, nodePort: 30044 }] })),
    stderr: invalid('v-np-taken', 'spec.ports[0].nodePort: Invalid value: 30044: provided port is already allocated'),
  },
  // -- externalIPs: valid and not special (ValidateNonSpecialIP) ----------------------------------
  ...(
    [
      ['0.0.0.0', 'may not be unspecified (0.0.0.0)'],
      ['::', 'may not be unspecified (::)'],
      ['127.0.0.1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
      ['::1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
      ['169.254.169.254', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
      ['fe80::1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
      ['224.0.0.251', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
      ['ff02::1', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
      ['1.2.3', IP_MSG],
    ] as const
  ).map(([ip, msg], i) => ({
    title: `externalIP ${ip}`,
    manifest: svc(`v-extip${i}`, { ports: P80, externalIPs: [ip] }),
    stderr: invalid(`v-extip${i}`, `spec.externalIPs[0]: Invalid value: "${ip}": ${msg}`),
  })),
  {
    title: 'several externalIPs', alone: true,
    manifest: svc('v-extips', { ports: P80, externalIPs: ['1.2.3.4', '127.0.0.2', 'x'] }),
    stderr: invalid('v-extips', 'spec.externalIPs[1]: Invalid value: "127.0.0.2": may not be in the loopback range (127.0.0.0/8, ::1/128)', `spec.externalIPs[2]: Invalid value: "x": ${IP_MSG}`),
  },
  // -- loadBalancerSourceRanges and the annotation -------------------------------------------------
  {
    title: 'source ranges on ClusterIP', alone: true,
    manifest: svc('v-lbsr-cip', { ports: P80, loadBalancerSourceRanges: ['10.0.0.0/8'] }),
    stderr: invalid('v-lbsr-cip', `spec.LoadBalancerSourceRanges: Forbidden: ${LB_ONLY}`),
  },
  {
    title: 'source range /33',
    manifest: svc('v-lbsr33', lb({ loadBalancerSourceRanges: ['10.0.0.0/33'] })),
    stderr: invalid('v-lbsr33', `spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": ${CIDR_MSG}`),
  },
  {
    title: 'padded source ranges',
    manifest: svc('v-lbsr-pad', lb({ loadBalancerSourceRanges: [' 10.0.0.0/8 ', ' bogus '] })),
    stderr: invalid('v-lbsr-pad', `spec.LoadBalancerSourceRanges[1]: Invalid value: "bogus": ${CIDR_MSG}`),
  },
  {
    title: 'source-ranges annotation on ClusterIP',
    manifest: svc('v-lbsr-ann', { ports: P80 }, { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8' } }),
    stderr: invalid('v-lbsr-ann', `${SRC_RANGES_ANN}: Forbidden: ${LB_ONLY}`),
  },
  {
    title: 'bad source-ranges annotation',
    manifest: svc('v-lbsr-ann2', lb({}), { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8, nope' } }),
    stderr: invalid('v-lbsr-ann2', `${SRC_RANGES_ANN}: Invalid value: "nope": ${CIDR_MSG}`),
  },
  {
    title: 'field wins over the annotation',
    manifest: svc('v-lbsr-both', np({ loadBalancerSourceRanges: ['10.0.0.0/8'] }), { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': 'nope' } }),
    stderr: invalid('v-lbsr-both', `spec.LoadBalancerSourceRanges: Forbidden: ${LB_ONLY}`),
  },
  // -- traffic policies ------------------------------------------------------------------------------
  {
    title: 'externalTrafficPolicy on ClusterIP',
    manifest: svc('v-etp-cip', { ports: P80, externalTrafficPolicy: 'Local' }),
    stderr: invalid('v-etp-cip', 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'),
  },
  ...['Foo', 'local'].map((p, i) => ({
    title: `externalTrafficPolicy ${p}`,
    manifest: svc(`v-etp${i}`, (i ? lb : np)({ externalTrafficPolicy: p })),
    stderr: invalid(`v-etp${i}`, `spec.externalTrafficPolicy: Unsupported value: "${p}": supported values: "Cluster", "Local"`),
  })),
  ...['Foo', ''].map((p, i) => ({
    title: `internalTrafficPolicy ${JSON.stringify(p)}`,
    manifest: svc(`v-itp${i}`, { ports: P80, internalTrafficPolicy: p }),
    stderr: invalid(`v-itp${i}`, `spec.internalTrafficPolicy: Unsupported value: "${p}": supported values: "Cluster", "Local"`),
  })),
  // -- healthCheckNodePort ---------------------------------------------------------------------------
  {
    title: 'healthCheckNodePort on ClusterIP', alone: true,
    manifest: svc('v-hc-cip', { ports: P80, healthCheckNodePort: 30045 }),
    stderr: invalid('v-hc-cip', `spec.healthCheckNodePort: Invalid value: 30045: ${HC_ONLY}`),
  },
  {
    title: 'healthCheckNodePort with policy Cluster',
    manifest: svc('v-hc-cluster', lb({ healthCheckNodePort: 30046 })),
    stderr: invalid('v-hc-cluster', `spec.healthCheckNodePort: Invalid value: 30046: ${HC_ONLY}`),
  },
  {
    title: 'healthCheckNodePort out of range',
    manifest: svc('v-hc-range', lb({ externalTrafficPolicy: 'Local', healthCheckNodePort: 80 })),
    stderr: creating('InternalError', `Internal error occurred: failed to allocate requested HealthCheck NodePort 80: ${NODE_PORT_RANGE}`),
  },
  {
    title: 'healthCheckNodePort held by another Service',
    setup: [svc('v-hc-holder', np({ ports: [{ port: 80, nodePort: 30047 }] }))],
    manifest: svc('v-hc-taken', lb({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30047 })),
    stderr: creating('InternalError', 'Internal error occurred: failed to allocate requested HealthCheck NodePort 30047: provided port is already allocated'),
  },
  {
    title: 'healthCheckNodePort equal to its own nodePort',
    manifest: svc('v-hc-own', lb({ externalTrafficPolicy: 'Local', healthCheckNodePort: 30048, ports: [{ port: 80, nodePort: 30048 }] })),
    stderr: creating('InternalError', 'Internal error occurred: failed to allocate requested HealthCheck NodePort 30048: provided port is already allocated'),
  },
  // -- trafficDistribution (1.32: PreferClose only) ---------------------------------------------------
  ...['PreferSameZone', 'preferclose'].map((t, i) => ({
    title: `trafficDistribution ${t}`,
    manifest: svc(`v-td${i}`, { ports: P80, trafficDistribution: t }),
    stderr: invalid(`v-td${i}`, `spec.trafficDistribution: Unsupported value: "${t}": supported values: "PreferClose"`),
  })),
  // -- loadBalancerClass ----------------------------------------------------------------------------
  {
    title: 'loadBalancerClass on ClusterIP',
    manifest: svc('v-lbc-cip', { ports: P80, loadBalancerClass: 'example.com/lb' }),
    stderr: invalid('v-lbc-cip', `spec.loadBalancerClass: Forbidden: ${LB_ONLY}`),
  },
  {
    title: 'loadBalancerClass with a space',
    manifest: svc('v-lbc-space', lb({ loadBalancerClass: 'a b' })),
    stderr: invalid('v-lbc-space', `spec.loadBalancerClass: Invalid value: "a b": name part ${QNAME_BODY}`),
  },
  {
    title: 'loadBalancerClass without a name part', alone: true,
    manifest: svc('v-lbc-empty', lb({ loadBalancerClass: 'example.com/' })),
    stderr: invalid('v-lbc-empty', 'spec.loadBalancerClass: Invalid value: "example.com/": name part must be non-empty', `spec.loadBalancerClass: Invalid value: "example.com/": name part ${QNAME_BODY}`),
  },
  // -- allocateLoadBalancerNodePorts ------------------------------------------------------------------
  {
    title: 'allocateLoadBalancerNodePorts on ClusterIP',
    manifest: svc('v-alb-cip', { ports: P80, allocateLoadBalancerNodePorts: true }),
    stderr: invalid('v-alb-cip', `spec.allocateLoadBalancerNodePorts: Forbidden: ${LB_ONLY}`),
  },
  {
    title: 'allocateLoadBalancerNodePorts on NodePort',
    manifest: svc('v-alb-np', np({ allocateLoadBalancerNodePorts: false })),
    stderr: invalid('v-alb-np', `spec.allocateLoadBalancerNodePorts: Forbidden: ${LB_ONLY}`),
  },
  // -- annotations ------------------------------------------------------------------------------------
  {
    title: 'topology annotations disagree',
    manifest: svc('v-topo', { ports: P80 }, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto', 'service.kubernetes.io/topology-aware-hints': 'Disabled' } }),
    stderr: invalid(
      'v-topo',
      'metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Auto": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified',
    ),
  },
  // -- several causes come back in ValidateService's order ---------------------------------------------
  {
    title: 'many causes in order', alone: true,
    manifest: svc('Bad', { ports: [{ port: 0, protocol: 'x' }], sessionAffinity: 'Sticky', externalIPs: ['127.0.0.1'], trafficDistribution: 'X' }),
    stderr: invalid(
      'Bad',
      `metadata.name: Invalid value: "Bad": ${DNS1035}`,
      `spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}`,
      `spec.ports[0].protocol: Unsupported value: "x": ${PROTOCOLS}`,
      `spec.ports[0].targetPort: Invalid value: 0: ${PORT_RANGE}`,
      'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.trafficDistribution: Unsupported value: "X": supported values: "PreferClose"',
    ),
  },
  // -- other errors than 422 ----------------------------------------------------------------------------
  {
    title: 'missing namespace',
    manifest: svc('v-nons', { ports: P80 }, { namespace: 'nope' }),
    stderr: creating('NotFound', 'namespaces "nope" not found'),
  },
  {
    title: 'already exists',
    setup: [svc('v-exists', { ports: P80 })],
    manifest: svc('v-exists', { ports: P80 }),
    stderr: creating('AlreadyExists', 'services "v-exists" already exists'),
  },
  // -- accepted, with the warnings 1.32's GetWarningsForService gives ------------------------------------
  ...(
    [
      ['v-w-topo', { ports: P80 }, { annotations: { 'service.kubernetes.io/topology-aware-hints': 'Auto' } }, [
        'annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead',
      ]],
      ['v-w-extname', { ports: P80, externalName: 'example.com' }, {}, ['spec.externalName is ignored when spec.type is not "ExternalName"']],
      ['v-w-enips', { type: 'ExternalName', externalName: 'example.com', externalIPs: ['1.2.3.4'] }, {}, ['spec.externalIPs is ignored when spec.type is "ExternalName"']],
      ['v-w-cip0', { ports: P80, clusterIP: '10.96.000.021' }, {}, [
        'spec.clusterIPs[0]: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr("10.96.000.021"): IPv4 field has octet with leading zero',
      ]],
      ['v-w-extip0', { ports: P80, externalIPs: ['1.2.3.04'] }, {}, [
        'spec.externalIPs[0]: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr("1.2.3.04"): IPv4 field has octet with leading zero',
      ]],
      ['v-w-extip6', { ports: P80, externalIPs: ['2001:DB8::1'] }, {}, [
        'spec.externalIPs[0]: IPv6 address "2001:DB8::1" is not in RFC 5952 canonical format ("2001:db8::1"), which may cause controller apply-loops',
      ]],
      ['v-w-lbip', lb({ loadBalancerIP: '010.1.2.3' }), {}, [
        'spec.loadBalancerIP: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr("010.1.2.3"): IPv4 field has octet with leading zero',
      ]],
      // 1.32 does not validate loadBalancerIP, it only warns.
      ['v-w-lbip-bad', lb({ loadBalancerIP: 'foo' }), {}, [
        'spec.loadBalancerIP: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr("foo"): unable to parse IP',
      ]],
      ['v-w-lbsr0', lb({ loadBalancerSourceRanges: ['010.0.0.0/8'] }), {}, [
        'spec.loadBalancerSourceRanges[0]: IP prefix was accepted, but will be invalid in a future Kubernetes release: netip.ParsePrefix("010.0.0.0/8"): ParseAddr("010.0.0.0"): IPv4 field has octet with leading zero',
      ]],
      ['v-w-lbsr6', lb({ loadBalancerSourceRanges: ['FD00::/64'] }), {}, [
        'spec.loadBalancerSourceRanges[0]: IPv6 prefix "FD00::/64" is not in RFC 5952 canonical format ("fd00::/64"), which may cause controller apply-loops',
      ]],
      // netip.ParsePrefix accepts host bits; the "ambiguous CIDR" warning is 1.33's.
      ['v-w-lbsr-host', lb({ loadBalancerSourceRanges: ['10.0.0.1/8'] }), {}, []],
      // The headless and externalIPs-deprecation warnings are later releases' (1.34, 1.33).
      ['v-w-headless', { ports: P80, clusterIP: 'None', selector: { app: 'x' }, sessionAffinity: 'ClientIP' }, {}, []],
      ['v-w-extips', { ports: P80, externalIPs: ['192.0.2.10'] }, {}, []],
      // Accepted shapes: service port names are DNS labels (not IANA names), 53/TCP+UDP share a nodePort.
      ['v-ok-longname', { ports: [{ name: 'a-very-long-port-name', port: 80 }] }, {}, []],
      ['v-ok-dns', np({ ports: [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30049 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', nodePort: 30049 }] }), {}, []],
    ] as const
  ).map(([name, spec, meta, warnings]) => ({
    title: `accepted: ${name}`,
    manifest: svc(name, spec as Obj, meta as Obj),
    stderr: warnings.map((w) => `Warning: ${w}\n`).join(''),
    stdout: `service/${name} created\n`,
  })),
];

/** Runs fn over items with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const skip = kubectlBinary() ? false : 'kubectl is not installed';
const BATCH = 25;

describe('invalid Services through kubectl create', { skip }, () => {
  let s: TestServer;
  /** What each case saw: its own kubectl run, or its line of a shared one. */
  const seen = new Map<Case, KubectlResult>();
  const batched = CASES.filter((c) => typeof c.stderr !== 'string' && !c.alone);
  const accepted = CASES.filter((c) => c.stdout !== undefined);
  const single = CASES.filter((c) => !batched.includes(c) && !accepted.includes(c));

  before(async () => {
    s = await startTestServer();
    const setups = CASES.flatMap((c) => c.setup ?? []);
    await pool(setups, 2, (m) => s.kubectl.ok(['create', '-f', '-'], { input: JSON.stringify(m) }));
    const { stringify } = await import('yaml');
    const yamlDocs = (cs: readonly Case[]) => cs.map((c) => stringify(c.manifest)).join('---\n');
    // kubectl reports every failed document of one invocation on its own line, in order; the
    // lines name their Service, so each is handed to its case.
    const chunks: Case[][] = [];
    for (let i = 0; i < batched.length; i += BATCH) chunks.push(batched.slice(i, i + BATCH));
    const runs = await pool(chunks, 2, (chunk) => s.kubectl.run(['create', '-f', '-'], { input: yamlDocs(chunk) }));
    chunks.forEach((chunk, i) => {
      const r = runs[i]!;
      const lines = r.stderr.split('\n').filter((l) => l);
      for (const c of chunk) {
        const prefix = `Error from server (Invalid): error when creating "STDIN": Service "${(c.stderr as Invalid).name}" is invalid: `;
        const mine = lines.filter((l) => l.startsWith(prefix));
        seen.set(c, { code: r.code, stdout: r.stdout, stderr: mine.map((l) => `${l}\n`).join('') });
      }
    });
    const alone = await pool(single, 2, (c) => s.kubectl.run(['create', '-f', '-'], { input: JSON.stringify(c.manifest) }));
    single.forEach((c, i) => seen.set(c, alone[i]!));
    // The accepted ones together: kubectl prints each warning as its response arrives.
    const ok = await s.kubectl.run(['create', '-f', '-'], { input: yamlDocs(accepted) });
    for (const c of accepted) seen.set(c, ok);
  });
  after(async () => {
    await s?.stop();
  });

  it('has a table of at least 100 cases', () => {
    assert.ok(CASES.length >= 100, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.title)).size, CASES.length, 'titles are unique');
  });

  for (const c of [...batched, ...single]) {
    it(c.title, () => {
      const r = seen.get(c)!;
      const want = typeof c.stderr === 'string' ? c.stderr : c.alone ? printedByKubectl(c.stderr) : printedInBatch(c.stderr);
      assert.equal(r.stderr, want);
      assert.equal(r.code, 1);
      if (!batched.includes(c)) assert.equal(r.stdout, '');
    });
  }

  it('batches printed nothing but the failures', () => {
    const all = [...new Set(batched.map((c) => seen.get(c)!))];
    for (const r of all) assert.equal(r.stdout, '');
  });

  it('accepts the valid ones, with 1.32\'s warnings in order', () => {
    const r = seen.get(accepted[0]!)!;
    assert.equal(r.stdout, accepted.map((c) => c.stdout).join(''));
    assert.equal(r.stderr, accepted.map((c) => c.stderr).join(''));
    assert.equal(r.code, 0);
  });

  it('reports one line per failed document with kubectl apply, from the server message', async () => {
    const docs = [
      svc('m-one', { ports: [{ port: 0, targetPort: 80 }] }),
      svc('m-ok', { ports: P80 }),
      svc('m-two', { ports: [{ port: 80, protocol: 'tcp' }], sessionAffinity: 'x' }),
      svc('m-full', np({ ports: [{ port: 80, nodePort: 99 }] })),
    ];
    const { stringify } = await import('yaml');
    const r = await s.kubectl.run(['apply', '-f', '-'], { input: docs.map((d) => stringify(d)).join('---\n') });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'service/m-ok created\n');
    assert.equal(
      r.stderr,
      'Error from server (Invalid): error when creating "STDIN": Service "m-one" is invalid: ' +
        `spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}\n` +
        'Error from server (Invalid): error when creating "STDIN": Service "m-two" is invalid: ' +
        `[spec.ports[0].protocol: Unsupported value: "tcp": ${PROTOCOLS}, spec.sessionAffinity: Unsupported value: "x": supported values: "ClientIP", "None"]\n` +
        'Error from server (Invalid): error when creating "STDIN": Service "m-full" is invalid: ' +
        `spec.ports[0].nodePort: Invalid value: 99: ${NODE_PORT_RANGE}\n`,
    );
  });
});
