#!/usr/bin/env node
// Captures the request bodies real kubectl binaries send, as test fixtures for the protobuf decoder.
//
// Runs a throwaway plain-HTTP API server on 127.0.0.1 (random port) that serves /version and legacy
// discovery, records every write, answers creates by echoing the object back (protobuf bodies are
// decoded with the compiled decoder, so run `npx tsc` first), and stops when done. For every command
// it also records `--dry-run=client -o json`, the JSON the same client would have sent.
//
// Usage: [ONLY=name,name] node src/apiserver/protobuf/tools/capture-fixtures.mjs [kubectl-dir]
// Writes testdata/<kubectl version>/<command>.pb|.json|.dry-run.json and testdata/manifest.json.
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, '../testdata');
const repo = join(here, '../../../..');
const { decodeKubernetesProtobuf } = await import(join(repo, 'dist/src/apiserver/protobuf/index.js'));

const kubectlDir = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.32', '1.33'];

const res = (name, kind, namespaced, extra = {}) => ({ name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ...extra });
const sub = (name, kind, group, version) => ({ name, singularName: '', namespaced: true, group, version, kind, verbs: ['get', 'patch', 'update'] });
const GROUPS = {
  v1: [res('namespaces', 'Namespace', false, { shortNames: ['ns'] }), res('services', 'Service', true, { shortNames: ['svc'] }), res('pods', 'Pod', true, { shortNames: ['po'] }),
    res('configmaps', 'ConfigMap', true, { shortNames: ['cm'] }), res('secrets', 'Secret', true), res('serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
    { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
    res('endpoints', 'Endpoints', true, { shortNames: ['ep'] }), res('events', 'Event', true), res('nodes', 'Node', false), res('resourcequotas', 'ResourceQuota', true, { shortNames: ['quota'] })],
  'apps/v1': [res('deployments', 'Deployment', true, { shortNames: ['deploy'] }), sub('deployments/scale', 'Scale', 'autoscaling', 'v1'), res('replicasets', 'ReplicaSet', true, { shortNames: ['rs'] }),
    res('daemonsets', 'DaemonSet', true), res('statefulsets', 'StatefulSet', true)],
  'batch/v1': [res('jobs', 'Job', true), res('cronjobs', 'CronJob', true)],
  'rbac.authorization.k8s.io/v1': [res('roles', 'Role', true), res('rolebindings', 'RoleBinding', true), res('clusterroles', 'ClusterRole', false), res('clusterrolebindings', 'ClusterRoleBinding', false)],
  'networking.k8s.io/v1': [res('ingresses', 'Ingress', true, { shortNames: ['ing'] })],
  'policy/v1': [res('poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'] })],
  'scheduling.k8s.io/v1': [res('priorityclasses', 'PriorityClass', false, { shortNames: ['pc'] })],
  'discovery.k8s.io/v1': [res('endpointslices', 'EndpointSlice', true)],
  'coordination.k8s.io/v1': [res('leases', 'Lease', true)],
};

// A Pod using much of PodSpec: `kubectl debug --copy-to` re-encodes it with the typed client (protobuf).
const RICH_POD = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'rich', namespace: 'default', uid: 'u-rich', resourceVersion: '7', creationTimestamp: '2024-01-01T00:00:00Z', labels: { app: 'rich', tier: 'web' }, annotations: { note: 'x' }, finalizers: ['example.com/f'],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rich-rs', uid: 'u-rs', controller: true, blockOwnerDeletion: true }] },
  spec: {
    volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }, { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt', mode: 420 }], defaultMode: 420, optional: true } },
      { name: 'sec', secret: { secretName: 's1', defaultMode: 256 } }, { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3600, path: 'token' } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } }], defaultMode: 420 } }],
    initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }],
    containers: [{
      name: 'web', image: 'nginx:1.27', args: ['--v=2'], workingDir: '/srv',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, hostPort: 9090, protocol: 'UDP' }],
      envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 's1', optional: false } }],
      env: [{ name: 'A', value: 'B' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } } }, { name: 'K', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a' } } }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true, subPath: 'a.txt' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X', value: 'y' }] }, initialDelaySeconds: 3, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
      startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 30, terminationGracePeriodSeconds: 5 },
      lifecycle: { postStart: { exec: { command: ['echo', 'hi'] } }, preStop: { sleep: { seconds: 5 } } },
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      securityContext: { runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } },
      stdin: true, tty: true }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, activeDeadlineSeconds: 600, dnsPolicy: 'ClusterFirst', nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'sa', serviceAccount: 'sa', automountServiceAccountToken: false, nodeName: 'node1', hostNetwork: false,
    securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000], sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }], seccompProfile: { type: 'RuntimeDefault' } },
    imagePullSecrets: [{ name: 'regcred' }], hostname: 'rich', subdomain: 'sub',
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'rich' } }, topologyKey: 'kubernetes.io/hostname' } }] } },
    schedulerName: 'default-scheduler',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local'] }], priorityClassName: 'pc', priority: 1000,
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.local'], options: [{ name: 'ndots', value: '2' }] },
    readinessGates: [{ conditionType: 'example.com/ready' }], enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'rich' } } }] },
  status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], hostIP: '192.0.2.1', startTime: '2024-01-01T00:00:01Z', qosClass: 'Burstable',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:05Z' }] },
};

const COMMANDS = [
  ['create-namespace', ['create', 'namespace', 'foo']],
  ['create-deployment', ['create', 'deployment', 'web', '--image=nginx', '--replicas=2']],
  ['create-deployment-port', ['create', 'deployment', 'web2', '--image=nginx:1.27', '--port=8080']],
  ['create-configmap', ['create', 'configmap', 'cfg', '--from-literal=a=b', '--from-literal=c=d']],
  ['create-secret', ['create', 'secret', 'generic', 's1', '--from-literal=password=hunter2']],
  ['create-serviceaccount', ['create', 'serviceaccount', 'sa']],
  ['create-service-clusterip', ['create', 'service', 'clusterip', 'my', '--tcp=80:8080']],
  ['create-service-headless', ['create', 'service', 'clusterip', 'hl', '--clusterip=None']],
  ['create-service-nodeport', ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080']],
  ['create-service-loadbalancer', ['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443']],
  ['create-service-externalname', ['create', 'service', 'externalname', 'ext', '--external-name=example.com']],
  ['create-job', ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi']],
  ['create-cronjob', ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *']],
  ['create-role', ['create', 'role', 'r', '--verb=get', '--verb=list', '--resource=pods']],
  ['create-rolebinding', ['create', 'rolebinding', 'rb', '--role=r', '--user=alice', '--serviceaccount=default:sa']],
  ['create-ingress', ['create', 'ingress', 'ing', '--rule=foo.com/bar=svc1:8080']],
  ['create-pdb', ['create', 'pdb', 'p', '--selector=app=web', '--min-available=1']],
  ['create-priorityclass', ['create', 'priorityclass', 'pc', '--value=1000', '--description=hi']],
  ['create-quota', ['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2']],
  ['create-token', ['create', 'token', 'sa', '--duration=1h'], { dryRun: false }],
  ['run', ['run', 'pod1', '--image=nginx', '--port=80', '--labels=app=web', '--env=A=B']],
  ['debug-copy-pod', ['debug', 'rich', '--copy-to=rich-copy', '--image=busybox', '--container=dbg'], { dryRun: false }],
  ['expose', ['expose', 'deployment', 'web', '--port=80', '--target-port=8080']],
  ['scale', ['scale', 'deployment', 'web', '--replicas=3'], { dryRun: false }],
  ['label', ['label', 'namespace', 'foo', 'team=a'], { dryRun: false }],
  ['delete', ['delete', 'configmap', 'cfg'], { dryRun: false }],
];

const store = new Map();
let requests = [];
function listFor(path) {
  const m = path.match(/^\/(api\/v1|apis\/([^/]+\/[^/]+))$/);
  if (!m) return undefined;
  const gv = m[1] === 'api/v1' ? 'v1' : m[2];
  return GROUPS[gv] && { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: GROUPS[gv] };
}
function handle(req, body, port) {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  if (path === '/version') return [200, { major: '1', minor: '32', gitVersion: 'v1.32.4' }];
  if (path === '/api') return [200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] }];
  if (path === '/apis') {
    const groups = Object.keys(GROUPS).filter((g) => g !== 'v1').map((gv) => {
      const [name, version] = gv.split('/');
      const v = { groupVersion: gv, version };
      return { name, versions: [v], preferredVersion: v };
    });
    return [200, { kind: 'APIGroupList', apiVersion: 'v1', groups }];
  }
  const list = listFor(path);
  if (list) return [200, list];
  if (path.startsWith('/openapi')) return [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' }];
  const ct = req.headers['content-type'] ?? '';
  if (req.method === 'GET') {
    const obj = store.get(path);
    if (obj) return [200, obj];
    return [404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: `${path} not found` }];
  }
  let obj = {};
  if (ct.includes('protobuf')) obj = decodeKubernetesProtobuf(body).object;
  else if (body.length && ct.includes('json') && !ct.includes('patch')) obj = JSON.parse(body.toString());
  if (req.method === 'POST') {
    const name = obj.metadata?.name ?? path.split('/').at(-2);
    obj.metadata = { ...obj.metadata, name, namespace: path.match(/namespaces\/([^/]+)\//)?.[1], uid: 'u-1', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' };
    if (obj.kind === 'TokenRequest') obj.status = { token: 'tok', expirationTimestamp: '2024-01-01T01:00:00Z' };
    store.set(`${path}/${name}`, obj);
    return [201, obj];
  }
  if (req.method === 'DELETE') return [200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }];
  // PATCH / PUT: answer with what we have (good enough for kubectl to print its message).
  const base = path.replace(/\/scale$/, '');
  const cur = store.get(base) ?? { metadata: { name: base.split('/').at(-1) } };
  if (path.endsWith('/scale')) return [200, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: cur.metadata, spec: { replicas: 3 }, status: { replicas: 2 } }];
  return [200, cur];
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method !== 'GET') requests.push({ method: req.method, path: req.url, contentType: req.headers['content-type'] ?? '', body });
    let code, out;
    try { [code, out] = handle(req, body, server.address().port); } catch (e) { [code, out] = [400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, message: String(e.message) }]; }
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(out));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const work = mkdtempSync(join(tmpdir(), 'capture-'));
const kubeconfig = join(work, 'config');
writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: x\n`);

// Asynchronous on purpose: the server answering kubectl runs on this same event loop.
function kubectl(bin, args, cache) {
  return new Promise((resolve) => {
    execFile(bin, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cache}`, ...args], { encoding: 'utf8', timeout: 60000 }, (err, stdout, stderr) => {
      resolve({ ok: !err, out: err ? `${stdout}${stderr}` : stdout });
    });
  });
}

const manifest = {};
try {
  for (const v of VERSIONS) {
    const bin = join(kubectlDir, `kubectl.${v}`);
    if (!existsSync(bin)) continue;
    const dir = join(testdata, v);
    mkdirSync(dir, { recursive: true });
    const cache = join(work, `cache-${v}`);
    store.clear();
    store.set('/api/v1/namespaces/default/pods/rich', RICH_POD);
    manifest[v] = {};
    for (const [name, args, opts = {}] of COMMANDS.filter(([n]) => !process.env.ONLY || process.env.ONLY.split(',').includes(n))) {
      if (opts.dryRun !== false) {
        const dry = await kubectl(bin, [...args.slice(0, args.indexOf('--') < 0 ? args.length : args.indexOf('--')), '--dry-run=client', '-o', 'json', ...(args.includes('--') ? args.slice(args.indexOf('--')) : [])], cache);
        if (dry.ok) writeFileSync(join(dir, `${name}.dry-run.json`), dry.out);
      }
      requests = [];
      const run = await kubectl(bin, args, cache);
      const writes = requests.map((r) => `${r.method} ${r.path} ${r.contentType}`);
      manifest[v][name] = { ok: run.ok, output: run.out.trim().split('\n').slice(0, 3).join(' | '), writes };
      const create = requests.find((r) => r.method === 'POST' || r.method === 'PUT');
      if (create?.contentType.includes('protobuf')) writeFileSync(join(dir, `${name}.pb`), create.body);
      else if (create) writeFileSync(join(dir, `${name}.json`), create.body);
    }
  }
  if (!process.env.ONLY) writeFileSync(join(testdata, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(JSON.stringify(manifest, null, 2));
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}
