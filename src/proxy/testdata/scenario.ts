// The fixed set of Services and EndpointSlices behind the golden files in this directory
// (rendered by test/proxy-golden.test.ts). One Service per feature the proxy must express.
import type { Service } from '../../api/types/core/v1.js';
import type { EndpointSlice } from '../../api/types/discovery/v1.js';
import type { ProxyNodeConfig } from '../plan.js';
import { slice, svc } from './fixtures.js';

export const NODE = 'node-a';
const http = [{ name: 'http', port: 8080, protocol: 'TCP' as const }];
const ready = (ip: string, nodeName = 'node-b') => ({ addresses: [ip], nodeName, conditions: { ready: true, serving: true, terminating: false } });

export const services: Service[] = [
  // ClusterIP, three endpoints (one local).
  svc('default', 'web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }] }),
  // Multiport with named target ports.
  svc('default', 'multi', { clusterIP: '10.96.0.21', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }, { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'prom' }] }),
  // NodePort.
  svc('default', 'np', { type: 'NodePort', clusterIP: '10.96.0.22', ports: [{ name: 'http', port: 8080, protocol: 'TCP', nodePort: 30080 }] }),
  // LoadBalancer with source ranges (the node IP is in one range) and a Proxy-mode ingress that
  // must not be captured.
  svc(
    'default', 'lb',
    { type: 'LoadBalancer', clusterIP: '10.96.0.23', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30081 }], loadBalancerSourceRanges: ['192.0.2.0/24', ' 172.18.0.0/16'] },
    { loadBalancer: { ingress: [{ ip: '172.18.255.1', ipMode: 'VIP' }, { ip: '172.18.255.9', ipMode: 'Proxy' }] } },
  ),
  // externalIPs.
  svc('default', 'ext', { clusterIP: '10.96.0.24', externalIPs: ['198.51.100.7'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  // ClientIP affinity with a custom timeout.
  svc('default', 'sticky', { clusterIP: '10.96.0.25', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }, ports: [{ port: 80, protocol: 'TCP' }] }),
  // externalTrafficPolicy Local with a health check node port; one local endpoint.
  svc(
    'default', 'etp-local',
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000, clusterIP: '10.96.0.26', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30082 }] },
    { loadBalancer: { ingress: [{ ip: '172.18.255.2' }] } },
  ),
  // externalTrafficPolicy Local without local endpoints: external destinations DROP.
  svc('default', 'etp-remote', { type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '10.96.0.27', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30083 }] }),
  // internalTrafficPolicy Local, with and without local endpoints.
  svc('default', 'itp-local', { internalTrafficPolicy: 'Local', clusterIP: '10.96.0.28', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  svc('default', 'itp-remote', { internalTrafficPolicy: 'Local', clusterIP: '10.96.0.29', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  // No endpoints at all (REJECT), with a NodePort and an externalIP.
  svc('default', 'empty', { type: 'NodePort', clusterIP: '10.96.0.30', externalIPs: ['198.51.100.8'], ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30084 }] }),
  // The same port on UDP and TCP (DNS).
  svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }),
  // Only terminating (serving) endpoints: kube-proxy falls back to them.
  svc('default', 'draining', { clusterIP: '10.96.0.31', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  // Dual-stack: also present in the IPv6 goldens.
  svc('default', 'dual', { clusterIP: '10.96.0.32', clusterIPs: ['10.96.0.32', 'fd00:10:96::32'], ipFamilies: ['IPv4', 'IPv6'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  // Skipped by kube-proxy: headless and ExternalName.
  svc('default', 'headless', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
  svc('default', 'cname', { type: 'ExternalName', externalName: 'example.com' }),
];

export const slices: EndpointSlice[] = [
  slice('default', 'web', 1, [ready('10.244.1.5', NODE), ready('10.244.2.5'), ready('10.244.2.6')], http),
  // A second slice of the same Service, overlapping one endpoint (deduplicated).
  slice('default', 'web', 2, [ready('10.244.2.6')], http),
  slice('default', 'multi', 1, [ready('10.244.2.7')], [{ name: 'http', port: 8000, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }]),
  slice('default', 'np', 1, [ready('10.244.2.8')], http),
  slice('default', 'lb', 1, [ready('10.244.2.9')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'ext', 1, [ready('10.244.2.10')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'sticky', 1, [ready('10.244.1.11', NODE), ready('10.244.2.11')], [{ name: '', port: 80, protocol: 'TCP' }]),
  slice('default', 'etp-local', 1, [ready('10.244.1.12', NODE), ready('10.244.2.12')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'etp-remote', 1, [ready('10.244.2.13')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'itp-local', 1, [ready('10.244.1.14', NODE), ready('10.244.2.14')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'itp-remote', 1, [ready('10.244.2.15')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('kube-system', 'kube-dns', 1, [ready('10.244.1.16', NODE), ready('10.244.2.16')], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
  slice('default', 'draining', 1, [
    { addresses: ['10.244.2.17'], nodeName: 'node-b', conditions: { ready: false, serving: true, terminating: true } },
    // Not serving and terminating: never used.
    { addresses: ['10.244.2.18'], nodeName: 'node-b', conditions: { ready: false, serving: false, terminating: true } },
    // Loopback: skipped with a reason.
    { addresses: ['127.0.0.1'], conditions: { ready: true } },
  ], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'dual', 1, [ready('10.244.2.19')], [{ name: 'http', port: 80, protocol: 'TCP' }]),
  slice('default', 'dual', 2, [ready('fd00:10:244:2::19')], [{ name: 'http', port: 80, protocol: 'TCP' }], 'IPv6'),
];

export const configs: Record<'IPv4' | 'IPv6', ProxyNodeConfig> = {
  IPv4: {
    family: 'IPv4', nodeName: NODE, nodeLabels: {}, nodeIP: '172.18.0.2', nodePortIPs: ['172.18.0.2'],
    podCIDR: '10.244.0.0/16', serviceCIDRs: ['10.96.0.0/12'],
  },
  IPv6: {
    family: 'IPv6', nodeName: NODE, nodeLabels: {}, nodeIP: 'fd00:172:18::2',
    podCIDR: 'fd00:10:244::/56', serviceCIDRs: ['fd00:10:96::/112'],
  },
};
