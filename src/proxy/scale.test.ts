// Rendering at scale: 5,000 Services × 10 endpoints (160k+ iptables rules) must not overflow
// the call stack (spreading huge arrays into push() did) and must render every object.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stateFromObjects } from './state.js';
import { svc, slice } from './testdata/fixtures.js';
import { buildNftRuleset } from './nftables/ruleset.js';
import { renderNftDump } from './nftables/render.js';
import { renderIptablesRestore } from './iptables/ruleset.js';
import type { Service } from '../api/types/core/v1.js';
import type { EndpointSlice } from '../api/types/discovery/v1.js';

describe('proxy rendering at scale', () => {
  it('renders 5,000 Services × 10 endpoints for nftables and iptables', () => {
    const N = 5000;
    const services: Service[] = [];
    const slices: EndpointSlice[] = [];
    const ports = [{ name: 'http', port: 80, protocol: 'TCP' as const }];
    for (let i = 0; i < N; i++) {
      services.push(svc('ns', `s${i}`, { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
      slices.push(slice('ns', `s${i}`, 1, Array.from({ length: 10 }, (_, j) => ({ addresses: [`10.${128 + j}.${i >> 8}.${i & 255}`] })), ports));
    }
    const cfg = { family: 'IPv4' as const, nodeName: 'n', nodeLabels: {}, podCIDR: '10.244.0.0/16' };
    const state = stateFromObjects(services, slices, 'IPv4', 'n');
    const nft = renderNftDump(buildNftRuleset(state, cfg));
    assert.equal(nft.match(/^add chain ip kube-proxy endpoint-/gm)?.length, N * 10);
    const ipt = renderIptablesRestore(state, cfg).text;
    assert.equal(ipt.match(/-j DNAT --to-destination/g)?.length, N * 10);
    assert.ok(ipt.endsWith('COMMIT\n'));
  });
});
