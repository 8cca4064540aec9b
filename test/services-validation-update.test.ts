// Invalid updates of existing Services through the real kubectl (apply, replace, patch), and
// the IP-family rules on a dual-stack server. Expected texts come from upstream
// (ValidateServiceUpdate, validateUpgradeDowngrade*, initIPFamilyFields and updateNodePorts in
// pkg/registry/core/service/storage/alloc.go, kubectl's checkErr/AddSourceToErr), not from svcnet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers/apiserver.js';
import { kubectlBinary, type KubectlResult } from './helpers/kubectl.js';

type Obj = Record<string, unknown>;
const svc = (name: string, spec: Obj, metadata: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec });
const P80 = [{ port: 80 }];
const SEL = { app: 'x' };

function invalid(name: string, ...causes: string[]): string {
  const uniq = [...new Set(causes)];
  const head = `The Service "${name}" is invalid: `;
  return uniq.length === 1 ? `${head}${uniq[0]}\n` : `${head}\n${uniq.map((c) => `* ${c}\n`).join('')}`;
}

interface Step {
  /** kubectl verb and flags; the manifest (if any) goes to stdin as JSON. */
  readonly args: readonly string[];
  readonly input?: Obj;
}
interface Case {
  readonly title: string;
  /** Created first with `kubectl apply` (so later applies have a last-applied configuration). */
  readonly base: readonly Obj[];
  readonly step: Step;
  readonly stderr: string;
}

const apply = (m: Obj): Step => ({ args: ['apply', '-f', '-'], input: m });
const replace = (m: Obj): Step => ({ args: ['replace', '-f', '-'], input: m });
const patch = (name: string, p: unknown, type = 'merge'): Step => ({ args: ['patch', 'svc', name, '--type', type, '-p', JSON.stringify(p)] });

const SINGLE_STACK_CASES: Case[] = [
  {
    title: 'apply changes clusterIP',
    base: [svc('u-cip-apply', { ports: P80, clusterIP: '10.96.0.30' })],
    step: apply(svc('u-cip-apply', { ports: P80, clusterIP: '10.96.0.31' })),
    stderr: invalid('u-cip-apply', 'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.31"}: may not change once set'),
  },
  {
    title: 'replace changes clusterIP',
    base: [svc('u-cip-replace', { ports: P80, clusterIP: '10.96.0.32' })],
    step: replace(svc('u-cip-replace', { ports: P80, clusterIP: '10.96.0.33' })),
    stderr: invalid('u-cip-replace', 'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.33"}: may not change once set'),
  },
  {
    title: 'patch changes clusterIP and clusterIPs',
    base: [svc('u-cip-patch', { ports: P80, clusterIP: '10.96.0.34' })],
    step: patch('u-cip-patch', { spec: { clusterIP: '10.96.0.35', clusterIPs: ['10.96.0.35'] } }),
    stderr: invalid('u-cip-patch', 'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.35"}: may not change once set'),
  },
  {
    title: 'patch makes a Service headless',
    base: [svc('u-to-headless', { ports: P80, clusterIP: '10.96.0.36' })],
    step: patch('u-to-headless', { spec: { clusterIP: 'None' } }),
    stderr: invalid('u-to-headless', 'spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set'),
  },
  {
    title: 'patch changes ipFamilies',
    base: [svc('u-fam', { ports: P80, clusterIP: '10.96.0.37' })],
    step: patch('u-fam', { spec: { ipFamilies: ['IPv6'] } }),
    stderr: invalid('u-fam', 'spec.clusterIPs[0]: Invalid value: "10.96.0.37": expected an IPv6 value as indicated by `ipFamilies[0]`'),
  },
  {
    title: 'patch asks for RequireDualStack',
    base: [svc('u-require', { ports: P80 })],
    step: patch('u-require', { spec: { ipFamilyPolicy: 'RequireDualStack' } }),
    stderr: invalid('u-require', 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'),
  },
  {
    title: 'healthCheckNodePort is immutable',
    base: [svc('u-hc', { type: 'LoadBalancer', ports: P80, selector: SEL, externalTrafficPolicy: 'Local', healthCheckNodePort: 30020 })],
    step: patch('u-hc', { spec: { healthCheckNodePort: 30021 } }),
    stderr: invalid('u-hc', 'spec.healthCheckNodePort: Forbidden: field is immutable'),
  },
  {
    title: 'loadBalancerClass changes',
    base: [svc('u-lbc', { type: 'LoadBalancer', ports: P80, loadBalancerClass: 'example.com/a' })],
    step: patch('u-lbc', { spec: { loadBalancerClass: 'example.com/b' } }),
    stderr: invalid('u-lbc', 'spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set'),
  },
  {
    title: 'loadBalancerClass added',
    base: [svc('u-lbc-add', { type: 'LoadBalancer', ports: P80 })],
    step: patch('u-lbc-add', { spec: { loadBalancerClass: 'example.com/new' } }),
    stderr: invalid('u-lbc-add', 'spec.loadBalancerClass: Invalid value: "example.com/new": may not change once set'),
  },
  {
    title: 'loadBalancerClass removed',
    base: [svc('u-lbc-del', { type: 'LoadBalancer', ports: P80, loadBalancerClass: 'example.com/a' })],
    step: patch('u-lbc-del', { spec: { loadBalancerClass: null } }),
    stderr: invalid('u-lbc-del', 'spec.loadBalancerClass: Invalid value: null: may not change once set'),
  },
  {
    title: 'type ExternalName without externalName',
    base: [svc('u-to-en', { ports: P80 })],
    step: patch('u-to-en', { spec: { type: 'ExternalName' } }),
    stderr: invalid('u-to-en', 'spec.externalName: Required value'),
  },
  {
    title: 'headless becomes a LoadBalancer',
    base: [svc('u-headless-lb', { ports: P80, clusterIP: 'None', selector: SEL })],
    step: patch('u-headless-lb', { spec: { type: 'LoadBalancer' } }),
    stderr: invalid('u-headless-lb', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`),
  },
  {
    title: 'nodePort moved onto a taken one',
    base: [svc('u-np-holder', { type: 'NodePort', ports: [{ port: 80, nodePort: 30022 }] }), svc('u-np-move', { type: 'NodePort', ports: [{ port: 80, nodePort: 30023 }] })],
    step: patch('u-np-move', [{ op: 'replace', path: '/spec/ports/0/nodePort', value: 30022 }], 'json'),
    stderr: invalid('u-np-move', 'spec.ports[0].nodePort: Invalid value: 30022: provided port is already allocated'),
  },
  {
    title: 'nodePort moved out of range',
    base: [svc('u-np-range', { type: 'NodePort', ports: [{ port: 80, nodePort: 30026 }] })],
    step: patch('u-np-range', [{ op: 'replace', path: '/spec/ports/0/nodePort', value: 40000 }], 'json'),
    stderr: invalid('u-np-range', 'spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767'),
  },
  {
    // updateNodePorts returns a plain error: a 500 without a reason.
    title: 'two ports on one kept nodePort',
    base: [svc('u-np-dup', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30024 }, { name: 'b', port: 81, nodePort: 30025 }] })],
    step: replace(svc('u-np-dup', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30024 }, { name: 'b', port: 81, nodePort: 30024 }] })),
    stderr: 'Error from server: error when replacing "STDIN": duplicate nodePort: {TCP 30024}\n',
  },
  {
    title: 'ports removed',
    base: [svc('u-noports', { ports: P80, selector: SEL })],
    step: patch('u-noports', [{ op: 'remove', path: '/spec/ports' }], 'json'),
    stderr: invalid('u-noports', 'spec.ports: Required value'),
  },
  {
    title: 'unnamed second port added',
    base: [svc('u-addport', { ports: P80 })],
    step: patch('u-addport', [{ op: 'add', path: '/spec/ports/-', value: { port: 81 } }], 'json'),
    stderr: invalid('u-addport', 'spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'),
  },
  {
    title: 'apply with a bad protocol',
    base: [svc('u-apply-proto', { ports: P80 })],
    step: apply(svc('u-apply-proto', { ports: [{ port: 80, protocol: 'tcp' }] })),
    stderr: invalid('u-apply-proto', 'spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'),
  },
  {
    title: 'apply sets externalTrafficPolicy on ClusterIP',
    base: [svc('u-apply-etp', { ports: P80 })],
    step: apply(svc('u-apply-etp', { ports: P80, externalTrafficPolicy: 'Local' })),
    stderr: invalid('u-apply-etp', 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'),
  },
  {
    title: 'replace with a stale resourceVersion',
    base: [svc('u-conflict', { ports: P80 })],
    step: replace(svc('u-conflict', { ports: P80 }, { resourceVersion: '1' })),
    stderr:
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on services "u-conflict": the object has been modified; please apply your changes to the latest version and try again\n',
  },
  {
    title: 'patch of a missing Service',
    base: [],
    step: patch('u-missing', { spec: { type: 'NodePort' } }),
    stderr: 'Error from server (NotFound): services "u-missing" not found\n',
  },
];

// On `10.96.0.0/16,fd00:10:96::/112`.
const DUAL_STACK_CASES: Case[] = [
  {
    title: 'dual: SingleStack with two clusterIPs',
    base: [],
    step: apply(svc('d-single2', { ports: P80, ipFamilyPolicy: 'SingleStack', clusterIP: '10.96.0.40', clusterIPs: ['10.96.0.40', 'fd00:10:96::40'] })),
    stderr: invalid('d-single2', `spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified`),
  },
  {
    title: 'dual: two IPv4 clusterIPs',
    base: [],
    step: apply(svc('d-two4', { ports: P80, ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.44', clusterIPs: ['10.96.0.44', '10.96.0.45'] })),
    stderr: invalid('d-two4', 'spec.clusterIPs: Invalid value: []string{"10.96.0.44", "10.96.0.45"}: may specify no more than one IP for each IP family'),
  },
  {
    title: 'dual: twice IPv6',
    base: [],
    step: apply(svc('d-fam66', { ports: P80, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv6'] })),
    stderr: invalid('d-fam66', 'spec.ipFamilies[1]: Duplicate value: "IPv6"'),
  },
  {
    title: 'dual: clusterIPs in the wrong family order',
    base: [],
    step: apply(svc('d-order', { ports: P80, ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIP: 'fd00:10:96::41', clusterIPs: ['fd00:10:96::41', '10.96.0.41'] })),
    stderr: invalid(
      'd-order',
      'spec.clusterIPs[0]: Invalid value: "fd00:10:96::41": expected an IPv4 value as indicated by `ipFamilies[0]`',
      'spec.clusterIPs[1]: Invalid value: "10.96.0.41": expected an IPv6 value as indicated by `ipFamilies[1]`',
    ),
  },
  {
    title: 'dual: releasing the secondary IP needs SingleStack',
    base: [svc('d-down', { ports: P80, ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.42', clusterIPs: ['10.96.0.42', 'fd00:10:96::42'] })],
    step: patch('d-down', { spec: { ipFamilyPolicy: 'PreferDualStack', clusterIPs: ['10.96.0.42'] } }),
    stderr: invalid('d-down', `spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be 'SingleStack' to release the secondary cluster IP`),
  },
  {
    title: 'dual: releasing the secondary family needs SingleStack',
    base: [svc('d-down-fam', { ports: P80, ipFamilyPolicy: 'RequireDualStack' })],
    step: patch('d-down-fam', { spec: { ipFamilies: ['IPv4'] } }),
    stderr: invalid('d-down-fam', `spec.ipFamilyPolicy: Invalid value: "RequireDualStack": must be 'SingleStack' to release the secondary IP family`),
  },
  {
    title: 'dual: swapping the families',
    base: [svc('d-swap', { ports: P80, ipFamilyPolicy: 'RequireDualStack', clusterIP: '10.96.0.43', clusterIPs: ['10.96.0.43', 'fd00:10:96::43'] })],
    step: patch('d-swap', { spec: { ipFamilies: ['IPv6', 'IPv4'] } }),
    stderr: invalid(
      'd-swap',
      'spec.clusterIPs[0]: Invalid value: "10.96.0.43": expected an IPv6 value as indicated by `ipFamilies[0]`',
      'spec.clusterIPs[1]: Invalid value: "fd00:10:96::43": expected an IPv4 value as indicated by `ipFamilies[1]`',
    ),
  },
  {
    title: 'dual: primary clusterIP and family changed together',
    base: [svc('d-primary', { ports: P80, clusterIP: '10.96.0.46' })],
    step: patch('d-primary', { spec: { clusterIP: 'fd00:10:96::46', clusterIPs: ['fd00:10:96::46'], ipFamilies: ['IPv6'] } }),
    stderr: invalid(
      'd-primary',
      'spec.clusterIPs[0]: Invalid value: []string{"fd00:10:96::46"}: may not change once set',
      'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set',
    ),
  },
];

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

async function runCases(s: TestServer, cases: readonly Case[]): Promise<KubectlResult[]> {
  // All the starting Services in one apply (kubectl applies documents one by one, in order).
  const { stringify } = await import('yaml');
  const bases = cases.flatMap((c) => c.base);
  if (bases.length) await s.kubectl.ok(['apply', '-f', '-'], { input: bases.map((b) => stringify(b)).join('---\n') });
  return pool(cases, 2, (c) => s.kubectl.run(c.step.args, c.step.input ? { input: JSON.stringify(c.step.input) } : {}));
}

const skip = kubectlBinary() ? false : 'kubectl is not installed';

for (const [label, range, cases] of [
  ['invalid Service updates through kubectl', undefined, SINGLE_STACK_CASES],
  ['IP-family errors on a dual-stack server', '10.96.0.0/16,fd00:10:96::/112', DUAL_STACK_CASES],
] as const) {
  describe(label, { skip }, () => {
    let s: TestServer;
    let results: KubectlResult[] = [];
    before(async () => {
      s = await startTestServer({ serviceClusterIPRange: range });
      results = await runCases(s, cases);
    });
    after(async () => {
      await s?.stop();
    });
    cases.forEach((c, i) => {
      it(c.title, () => {
        const r = results[i]!;
        assert.equal(r.stderr, c.stderr);
        assert.equal(r.stdout, '');
        assert.equal(r.code, 1);
      });
    });
  });
}
