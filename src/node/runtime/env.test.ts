// Cases transcribed from kubelet's TestMakeEnvironmentVariables (pkg/kubelet/kubelet_pods_test.go),
// envvars_test.go and the expansion package's tests. Results are compared sorted, as upstream does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEnvironmentVariables, serviceEnvVars, expandCommandAndArgs } from './env.js';
import type { EnvInputs } from './env.js';
import { expand, mappingFuncFor } from './expansion.js';
import type { ConfigMap, Container, Pod, Protocol, Service } from '../../api/types/core/v1.js';

function svc(name: string, namespace: string, clusterIP: string, protocol: Protocol, port: number): Service {
  return { metadata: { name, namespace }, spec: { clusterIP, ports: [{ protocol, port }] } };
}

const services = [
  svc('kubernetes', 'default', '1.2.3.1', 'TCP', 8081),
  svc('test', 'test1', '1.2.3.3', 'TCP', 8083),
  svc('kubernetes', 'test2', '1.2.3.4', 'TCP', 8084),
  svc('test', 'test2', '1.2.3.5', 'TCP', 8085),
  svc('test', 'test2', 'None', 'TCP', 8085),
  svc('test', 'test2', '', 'TCP', 8085),
  svc('not-special', 'default', '1.2.3.8', 'TCP', 8088),
  svc('not-special', 'default', 'None', 'TCP', 8088),
  svc('not-special', 'default', '', 'TCP', 8088),
];

function linkVars(prefix: string, ip: string, port: number): [string, string][] {
  return [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(port)],
    [`${prefix}_PORT`, `tcp://${ip}:${port}`],
    [`${prefix}_PORT_${port}_TCP`, `tcp://${ip}:${port}`],
    [`${prefix}_PORT_${port}_TCP_PROTO`, 'tcp'],
    [`${prefix}_PORT_${port}_TCP_PORT`, String(port)],
    [`${prefix}_PORT_${port}_TCP_ADDR`, ip],
  ];
}
const kube = linkVars('KUBERNETES', '1.2.3.1', 8081);

function pod(ns: string, enableServiceLinks: boolean): Pod {
  return {
    metadata: { name: 'dapi-test-pod-name', namespace: ns, uid: 'uid-1', labels: { app: 'x' }, annotations: { note: 'y' } },
    spec: { nodeName: 'node-name', serviceAccountName: 'special', enableServiceLinks, containers: [] },
  };
}

function run(ns: string, links: boolean, container: Partial<Container>, opts: Partial<EnvInputs> = {}): [string, string][] {
  const r = makeEnvironmentVariables({
    pod: pod(ns, links),
    container: { name: 'c', ...container },
    podIPs: ['1.2.3.4'],
    hostIPs: ['127.0.0.1'],
    services,
    configMap: () => undefined,
    ...opts,
  });
  if ('error' in r) throw new Error(r.error);
  return r.env.map((e) => [e.name, e.value] as [string, string]).sort();
}
const sorted = (v: [string, string][]) => [...v].sort();

describe('makeEnvironmentVariables (kubelet table)', () => {
  it('api server = Y, kubelet = Y: user values win over same-named service variables', () => {
    const user = linkVars('TEST', '1.2.3.3', 8083);
    const env = run('test1', false, { env: [{ name: 'FOO', value: 'BAR' }, ...user.map(([name, value]) => ({ name, value }))] });
    assert.deepEqual(env, sorted([['FOO', 'BAR'], ...user, ...kube]));
  });
  it('api server = N; kubelet = Y (service links off: only the master service)', () => {
    assert.deepEqual(run('test1', false, { env: [{ name: 'FOO', value: 'BAZ' }] }), sorted([['FOO', 'BAZ'], ...kube]));
  });
  it('api server = N; kubelet = Y; service env vars', () => {
    assert.deepEqual(run('test1', true, { env: [{ name: 'FOO', value: 'BAZ' }] }), sorted([['FOO', 'BAZ'], ...linkVars('TEST', '1.2.3.3', 8083), ...kube]));
  });
  it('master service in pod ns: default/kubernetes without links', () => {
    assert.deepEqual(run('test2', false, { env: [{ name: 'FOO', value: 'ZAP' }] }), sorted([['FOO', 'ZAP'], ...kube]));
  });
  it('master service in pod ns, service env vars: the namespace one wins', () => {
    assert.deepEqual(
      run('test2', true, { env: [{ name: 'FOO', value: 'ZAP' }] }),
      sorted([['FOO', 'ZAP'], ...linkVars('TEST', '1.2.3.5', 8085), ...linkVars('KUBERNETES', '1.2.3.4', 8084)]),
    );
  });
  it('pod in master service ns', () => {
    assert.deepEqual(run('default', false, {}), sorted(kube));
    assert.deepEqual(run('default', true, {}), sorted([...linkVars('NOT_SPECIAL', '1.2.3.8', 8088), ...kube]));
  });
  it('downward api pod', () => {
    const ref = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    const env = run(
      'downward-api',
      false,
      {
        env: [
          ref('POD_NAME', 'metadata.name'),
          ref('POD_NAMESPACE', 'metadata.namespace'),
          ref('POD_NODE_NAME', 'spec.nodeName'),
          ref('POD_SERVICE_ACCOUNT_NAME', 'spec.serviceAccountName'),
          ref('POD_IP', 'status.podIP'),
          ref('POD_IPS', 'status.podIPs'),
          ref('HOST_IP', 'status.hostIP'),
          ref('HOST_IPS', 'status.hostIPs'),
          ref('POD_UID', 'metadata.uid'),
          ref('APP', "metadata.labels['app']"),
          ref('NOTE', "metadata.annotations['note']"),
        ],
      },
      { services: undefined, podIPs: ['1.2.3.4', 'fd00::6'], hostIPs: ['127.0.0.1', '::1'] },
    );
    assert.deepEqual(
      env,
      sorted([
        ['POD_NAME', 'dapi-test-pod-name'],
        ['POD_NAMESPACE', 'downward-api'],
        ['POD_NODE_NAME', 'node-name'],
        ['POD_SERVICE_ACCOUNT_NAME', 'special'],
        ['POD_IP', '1.2.3.4'],
        ['POD_IPS', '1.2.3.4,fd00::6'],
        ['HOST_IP', '127.0.0.1'],
        ['HOST_IPS', '127.0.0.1,::1'],
        ['POD_UID', 'uid-1'],
        ['APP', 'x'],
        ['NOTE', 'y'],
      ]),
    );
  });
  const expansionEnv = [
    { name: 'TEST_LITERAL', value: 'test-test-test' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'OUT_OF_ORDER_TEST', value: '$(OUT_OF_ORDER_TARGET)' },
    { name: 'OUT_OF_ORDER_TARGET', value: 'FOO' },
    { name: 'EMPTY_VAR' },
    { name: 'EMPTY_TEST', value: 'foo-$(EMPTY_VAR)' },
    { name: 'POD_NAME_TEST2', value: 'test2-$(POD_NAME)' },
    { name: 'POD_NAME_TEST3', value: '$(POD_NAME_TEST2)-3' },
    { name: 'LITERAL_TEST', value: 'literal-$(TEST_LITERAL)' },
    { name: 'SERVICE_VAR_TEST', value: '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)' },
    { name: 'TEST_UNDEFINED', value: '$(UNDEFINED_VAR)' },
  ];
  const expanded: [string, string][] = [
    ['TEST_LITERAL', 'test-test-test'],
    ['POD_NAME', 'dapi-test-pod-name'],
    ['POD_NAME_TEST2', 'test2-dapi-test-pod-name'],
    ['POD_NAME_TEST3', 'test2-dapi-test-pod-name-3'],
    ['LITERAL_TEST', 'literal-test-test-test'],
    ['OUT_OF_ORDER_TEST', '$(OUT_OF_ORDER_TARGET)'],
    ['OUT_OF_ORDER_TARGET', 'FOO'],
    ['TEST_UNDEFINED', '$(UNDEFINED_VAR)'],
    ['EMPTY_VAR', ''],
    ['EMPTY_TEST', 'foo-'],
  ];
  it('env expansion', () => {
    assert.deepEqual(run('test1', false, { env: expansionEnv }), sorted([...expanded, ['SERVICE_VAR_TEST', '$(TEST_SERVICE_HOST):$(TEST_SERVICE_PORT)'], ...kube]));
  });
  it('env expansion, service env vars', () => {
    assert.deepEqual(
      run('test1', true, { env: expansionEnv }),
      sorted([...expanded, ['SERVICE_VAR_TEST', '1.2.3.3:8083'], ...linkVars('TEST', '1.2.3.3', 8083), ...kube]),
    );
  });
  it('configmapkeyref missing optional / missing key optional', () => {
    const e = [{ name: 'POD_NAME', valueFrom: { configMapKeyRef: { name: 'missing-config-map', key: 'key', optional: true } } }];
    assert.deepEqual(run('test', false, { env: e }), sorted(kube));
    const cm: ConfigMap = { metadata: { name: 'test-config-map', namespace: 'test' }, data: { a: 'b' } };
    const e2 = [{ name: 'POD_NAME', valueFrom: { configMapKeyRef: { name: 'test-config-map', key: 'key', optional: true } } }];
    assert.deepEqual(run('test', false, { env: e2 }, { services: undefined, configMap: (n) => (n === cm.metadata.name ? cm : undefined) }), []);
  });
  it('configmapkeyref missing, not optional: the kubelet error', () => {
    const r = makeEnvironmentVariables({
      pod: pod('test', false),
      container: { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] },
      podIPs: [],
      hostIPs: [],
      configMap: (n) => (n === 'cm' ? { metadata: { name: 'cm' }, data: {} } : undefined),
    });
    assert.deepEqual(r, { error: "couldn't find key k in ConfigMap test/cm" });
    const r2 = makeEnvironmentVariables({
      pod: pod('test', false),
      container: { name: 'c', envFrom: [{ configMapRef: { name: 'nope' } }] },
      podIPs: [],
      hostIPs: [],
      configMap: () => undefined,
    });
    assert.deepEqual(r2, { error: 'configmap "nope" not found' });
  });
  const cmCase = (links: boolean): [string, string][] => {
    const cm: ConfigMap = { metadata: { name: 'test-config-map' }, data: { REPLACE_ME: 'FROM_CONFIG_MAP', DUPE_TEST: 'CONFIG_MAP' } };
    return run(
      'test1',
      links,
      {
        envFrom: [{ configMapRef: { name: 'test-config-map' } }, { prefix: 'p_', configMapRef: { name: 'test-config-map' } }],
        env: [
          { name: 'TEST_LITERAL', value: 'test-test-test' },
          { name: 'EXPANSION_TEST', value: '$(REPLACE_ME)' },
          { name: 'DUPE_TEST', value: 'ENV_VAR' },
        ],
      },
      { configMap: (n) => (n === 'test-config-map' ? cm : undefined) },
    );
  };
  const cmVars: [string, string][] = [
    ['TEST_LITERAL', 'test-test-test'],
    ['REPLACE_ME', 'FROM_CONFIG_MAP'],
    ['EXPANSION_TEST', 'FROM_CONFIG_MAP'],
    ['DUPE_TEST', 'ENV_VAR'],
    ['p_REPLACE_ME', 'FROM_CONFIG_MAP'],
    ['p_DUPE_TEST', 'CONFIG_MAP'],
  ];
  it('configmap', () => assert.deepEqual(cmCase(false), sorted([...cmVars, ...kube])));
  it('configmap, service env vars', () => assert.deepEqual(cmCase(true), sorted([...cmVars, ...linkVars('TEST', '1.2.3.3', 8083), ...kube])));
});

describe('serviceEnvVars (envvars_test.go)', () => {
  it('emits the docker-links variables in order', () => {
    const got = serviceEnvVars([
      { metadata: { name: 'foo-bar' }, spec: { clusterIP: '1.2.3.4', ports: [{ protocol: 'TCP', port: 8080 }] } },
      { metadata: { name: 'abc-123' }, spec: { clusterIP: '5.6.7.8', ports: [{ name: 'u-d-p', protocol: 'UDP', port: 8081 }, { name: 't-c-p', protocol: 'TCP', port: 8081 }] } },
      { metadata: { name: 'q-u-u-x' }, spec: { clusterIP: '9.8.7.6', ports: [{ protocol: 'TCP', port: 8082 }, { name: '8083', protocol: 'TCP', port: 8083 }] } },
      { metadata: { name: 'svrc-clusterip-none' }, spec: { clusterIP: 'None', ports: [{ protocol: 'TCP', port: 8082 }] } },
      { metadata: { name: 'svrc-clusterip-empty' }, spec: { clusterIP: '', ports: [{ protocol: 'TCP', port: 8082 }] } },
      { metadata: { name: 'super-ipv6' }, spec: { clusterIP: '2001:DB8::', ports: [{ name: 'u-d-p', protocol: 'UDP', port: 8084 }] } },
      { metadata: { name: 'sctp-1' }, spec: { clusterIP: '1.2.3.4', ports: [{ protocol: 'SCTP', port: 777 }] } },
    ]);
    assert.deepEqual(
      got.map((e) => `${e.name}=${e.value}`),
      [
        'FOO_BAR_SERVICE_HOST=1.2.3.4',
        'FOO_BAR_SERVICE_PORT=8080',
        'FOO_BAR_PORT=tcp://1.2.3.4:8080',
        'FOO_BAR_PORT_8080_TCP=tcp://1.2.3.4:8080',
        'FOO_BAR_PORT_8080_TCP_PROTO=tcp',
        'FOO_BAR_PORT_8080_TCP_PORT=8080',
        'FOO_BAR_PORT_8080_TCP_ADDR=1.2.3.4',
        'ABC_123_SERVICE_HOST=5.6.7.8',
        'ABC_123_SERVICE_PORT=8081',
        'ABC_123_SERVICE_PORT_U_D_P=8081',
        'ABC_123_SERVICE_PORT_T_C_P=8081',
        'ABC_123_PORT=udp://5.6.7.8:8081',
        'ABC_123_PORT_8081_UDP=udp://5.6.7.8:8081',
        'ABC_123_PORT_8081_UDP_PROTO=udp',
        'ABC_123_PORT_8081_UDP_PORT=8081',
        'ABC_123_PORT_8081_UDP_ADDR=5.6.7.8',
        'ABC_123_PORT_8081_TCP=tcp://5.6.7.8:8081',
        'ABC_123_PORT_8081_TCP_PROTO=tcp',
        'ABC_123_PORT_8081_TCP_PORT=8081',
        'ABC_123_PORT_8081_TCP_ADDR=5.6.7.8',
        'Q_U_U_X_SERVICE_HOST=9.8.7.6',
        'Q_U_U_X_SERVICE_PORT=8082',
        'Q_U_U_X_SERVICE_PORT_8083=8083',
        'Q_U_U_X_PORT=tcp://9.8.7.6:8082',
        'Q_U_U_X_PORT_8082_TCP=tcp://9.8.7.6:8082',
        'Q_U_U_X_PORT_8082_TCP_PROTO=tcp',
        'Q_U_U_X_PORT_8082_TCP_PORT=8082',
        'Q_U_U_X_PORT_8082_TCP_ADDR=9.8.7.6',
        'Q_U_U_X_PORT_8083_TCP=tcp://9.8.7.6:8083',
        'Q_U_U_X_PORT_8083_TCP_PROTO=tcp',
        'Q_U_U_X_PORT_8083_TCP_PORT=8083',
        'Q_U_U_X_PORT_8083_TCP_ADDR=9.8.7.6',
        'SUPER_IPV6_SERVICE_HOST=2001:DB8::',
        'SUPER_IPV6_SERVICE_PORT=8084',
        'SUPER_IPV6_SERVICE_PORT_U_D_P=8084',
        'SUPER_IPV6_PORT=udp://[2001:DB8::]:8084',
        'SUPER_IPV6_PORT_8084_UDP=udp://[2001:DB8::]:8084',
        'SUPER_IPV6_PORT_8084_UDP_PROTO=udp',
        'SUPER_IPV6_PORT_8084_UDP_PORT=8084',
        'SUPER_IPV6_PORT_8084_UDP_ADDR=2001:DB8::',
        'SCTP_1_SERVICE_HOST=1.2.3.4',
        'SCTP_1_SERVICE_PORT=777',
        'SCTP_1_PORT=sctp://1.2.3.4:777',
        'SCTP_1_PORT_777_SCTP=sctp://1.2.3.4:777',
        'SCTP_1_PORT_777_SCTP_PROTO=sctp',
        'SCTP_1_PORT_777_SCTP_PORT=777',
        'SCTP_1_PORT_777_SCTP_ADDR=1.2.3.4',
      ],
    );
  });
});

describe('expand (third_party/forked/golang/expansion)', () => {
  const m = mappingFuncFor(new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_EMPTY', '']]));
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['foo\\$(VAR_A)', 'foo\\A'],
    ['$$(VAR_B)', '$(VAR_B)'],
    ['$$$$$$$(VAR_A)', '$$$A'],
    ['$(VAR_EMPTY)', ''],
    ['$(VAR_NONE)', '$(VAR_NONE)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['$', '$'],
    ['$()', '$()'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['$(VAR_A)$', 'A$'],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(expand(input, m), want));
  it('expands command and args against the final environment', () => {
    const got = expandCommandAndArgs({ name: 'c', command: ['echo', '$(A)'], args: ['$$(A)', '$(B)'] }, [{ name: 'A', value: 'x' }]);
    assert.deepEqual(got, { command: ['echo', 'x'], args: ['$(A)', '$(B)'] });
  });
});
