// Golden files of the proxy's rendered rules for a fixed set of Services and EndpointSlices
// (src/proxy/testdata/scenario.ts), and the same texts loaded by the real `nft` and
// `iptables-restore` inside a throwaway network namespace (never the host's).
// UPDATE_GOLDEN=1 rewrites the golden files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stateFromObjects } from '../src/proxy/state.js';
import { configs, NODE, services, slices } from '../src/proxy/testdata/scenario.js';
import { slice } from '../src/proxy/testdata/fixtures.js';
import { buildNftRuleset } from '../src/proxy/nftables/ruleset.js';
import { renderNftDeleteChains, renderNftDump } from '../src/proxy/nftables/render.js';
import { renderNftPartialSync } from '../src/proxy/nftables/transaction.js';
import { renderIptablesRestore } from '../src/proxy/iptables/ruleset.js';

const testdata = fileURLToPath(new URL('../../src/proxy/testdata/', import.meta.url));
const families = ['IPv4', 'IPv6'] as const;
const suffix = { IPv4: 'ipv4', IPv6: 'ipv6' } as const;

function render(family: 'IPv4' | 'IPv6') {
  const state = stateFromObjects(services, slices, family, NODE);
  const rs = buildNftRuleset(state, configs[family]);
  return { state, rs, nft: renderNftDump(rs), iptables: renderIptablesRestore(state, configs[family]).text };
}

function golden(name: string, got: string): void {
  const path = `${testdata}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, got);
  assert.equal(got, readFileSync(path, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

describe('proxy golden files', () => {
  for (const family of families) {
    it(`nftables ${family}`, () => golden(`scenario.${suffix[family]}.nft`, render(family).nft));
    it(`iptables ${family}`, () => golden(`scenario.${suffix[family]}.iptables`, render(family).iptables));
  }

  it('skips headless and ExternalName Services, Proxy-mode LB IPs and a loopback endpoint', () => {
    const { state, nft } = render('IPv4');
    assert.ok(![...state.services.keys()].some((k) => k.includes('headless') || k.includes('cname')));
    assert.ok(!nft.includes('172.18.255.9'), 'ipMode Proxy ingress must not be captured');
    assert.deepEqual(state.skipped.map((s) => [s.service, s.address]), [['default/draining', '127.0.0.1']]);
  });
});

/** Runs a command inside the namespace, feeding `input` on stdin. */
function inNetns(ns: string, argv: string[], input = ''): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { input, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('proxy rules load into the kernel (throwaway network namespace)', () => {
  const ns = `svcnet-pxtest-${process.pid}`;
  let created = false;
  before(() => {
    const r = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
    assert.equal(r.status, 0, `ip netns add ${ns}: ${r.stderr}`);
    created = true;
  });
  after(() => {
    if (created) spawnSync('ip', ['netns', 'del', ns]);
  });

  for (const family of families) {
    it(`nft -c accepts the ${family} table`, () => {
      const r = inNetns(ns, ['nft', '-c', '-f', '-'], render(family).nft);
      assert.equal(r.status, 0, r.stderr);
    });
    it(`${family === 'IPv4' ? 'iptables' : 'ip6tables'}-restore --test accepts the ${family} rules`, () => {
      const r = inNetns(ns, [family === 'IPv4' ? 'iptables-restore' : 'ip6tables-restore', '--test'], render(family).iptables);
      assert.equal(r.status, 0, r.stderr);
    });
  }

  it('a partial nftables sync applies on top of the loaded table, then its stale chains delete', () => {
    const { rs } = render('IPv4');
    // Loaded for real, but only inside the throwaway namespace.
    let r = inNetns(ns, ['nft', '-f', '-'], renderNftDump(rs));
    assert.equal(r.status, 0, r.stderr);
    const changed = slices.map((s) =>
      s.metadata.name === 'web-1'
        ? slice('default', 'web', 1, [{ addresses: ['10.244.1.5'], nodeName: NODE }, { addresses: ['10.244.2.50'], nodeName: 'node-b' }], [{ name: 'http', port: 8080, protocol: 'TCP' }])
        : s,
    );
    const next = buildNftRuleset(stateFromObjects(services, changed, 'IPv4', NODE), configs.IPv4);
    const tx = renderNftPartialSync(rs, next, new Set(['default/web']));
    assert.ok(tx.text.split('\n').filter(Boolean).every((l) => l.includes('default/web')), tx.text);
    assert.equal(tx.staleChains.length, 1);
    r = inNetns(ns, ['nft', '-f', '-'], tx.text);
    assert.equal(r.status, 0, `${r.stderr}\n${tx.text}`);
    r = inNetns(ns, ['nft', '-f', '-'], renderNftDeleteChains(next, tx.staleChains));
    assert.equal(r.status, 0, r.stderr);
    r = inNetns(ns, ['nft', 'list', 'table', 'ip', 'kube-proxy']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('10.244.2.50:8080'), 'new endpoint programmed');
    assert.ok(!r.stdout.includes('10.244.2.5:8080'), 'removed endpoint gone');
    // 10.244.2.6 is also in slice web-2: merged slices keep it.
    assert.ok(r.stdout.includes('10.244.2.6:8080'), 'endpoint of the other slice kept');
  });

  it('a partial iptables-restore (--noflush) applies on top of the full one and deletes stale chains', () => {
    const { state } = render('IPv4');
    let r = inNetns(ns, ['iptables-restore'], renderIptablesRestore(state, configs.IPv4).text);
    assert.equal(r.status, 0, r.stderr);
    const fewer = slices.filter((s) => s.metadata.name !== 'np-1');
    const next = stateFromObjects(services, fewer, 'IPv4', NODE);
    const saved = inNetns(ns, ['iptables-save', '-t', 'nat']).stdout;
    const existing = [...saved.matchAll(/^:(\S+)/gm)].map((m) => m[1]!);
    const partial = renderIptablesRestore(next, configs.IPv4, { changedServices: new Set(['default/np']), existingNatChains: existing }).text;
    assert.match(partial, /^-X KUBE-SVC-/m);
    assert.ok(!partial.includes(':KUBE-SEP-AFGSLHOD2HFNCBX4'), 'unchanged service chains are not rewritten');
    r = inNetns(ns, ['iptables-restore', '--noflush'], partial);
    assert.equal(r.status, 0, `${r.stderr}\n${partial}`);
    const after = inNetns(ns, ['iptables-save', '-t', 'nat']).stdout;
    assert.ok(!after.includes('10.244.2.8:8080'), 'removed endpoint gone');
    assert.ok(after.includes('10.244.1.5:8080'), 'unchanged service kept its rules');
    r = inNetns(ns, ['iptables-save', '-t', 'filter']);
    assert.match(r.stdout, /default\/np:http has no endpoints/);
  });
});
