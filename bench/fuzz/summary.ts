// The closing report: counts by status and transport, then every distinct finding with its
// reproducer; findings.json carries the full bodies (base64) for replay with --replay.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from './runner.js';

export function writeSummary(out: string, runner: Runner, info: { seed: number; count: number; elapsedMs: number; verifiedObjects?: number }): string {
  const s = runner.stats;
  const findings = runner.findings.all();
  writeFileSync(join(out, 'findings.json'), JSON.stringify({ ...info, mutedSkips: Object.fromEntries(runner.mutes.skipped), stats: { ...s, byStatus: Object.fromEntries(s.byStatus), byTransport: Object.fromEntries(s.byTransport) }, findings }, null, 2));
  const lines: string[] = [];
  lines.push(`seed ${info.seed}: ${s.sent} of ${info.count} requests sent in ${(info.elapsedMs / 1000).toFixed(0)} s (${s.judged} judged, ${s.interrupted} cut off by a crash)`);
  lines.push(`crashes ${s.crashes}, server restarts ${runner['server'].restarts}, hangs ${s.hangs}, canary rounds ${s.canaryRounds}${info.verifiedObjects !== undefined ? `, stored objects checked with kubectl ${info.verifiedObjects}` : ''}`);
  if (runner.mutes.skipped.size) lines.push(`muted known crashers (not sent, not counted): ${[...runner.mutes.skipped].map(([k, v]) => `${k}=${v}`).join(', ')}`);
  lines.push(`by status: ${[...s.byStatus].sort().map(([k, v]) => `${k}=${v}`).join(' ')}`);
  lines.push(`by transport: ${[...s.byTransport].sort().map(([k, v]) => `${k}=${v}`).join(' ')}`);
  lines.push(`${findings.length} distinct findings:`);
  for (const f of findings) {
    lines.push(`- [${f.kind}] x${f.count} ${f.signature}`);
    const r = f.reproducer;
    if (r) lines.push(`    repro: --seed ${r.seed} --replay ${r.index}: ${r.transport} ${r.method} ${r.path.slice(0, 200)} ct=${r.headers['content-type'] ?? '-'} (${r.note})${r.bodySnippet ? ` body: ${r.bodySnippet.slice(0, 160)}` : ''}`);
    else if (f.otherCandidates?.length) lines.push(`    suspects: ${f.otherCandidates.slice(0, 4).map((c) => `#${c.index} ${c.method} ${c.path.slice(0, 80)}`).join(' | ')}`);
    if (f.kind !== 'crash' && !r) lines.push(`    ${f.detail.split('\n')[0]!.slice(0, 240)}`);
  }
  const text = lines.join('\n');
  writeFileSync(join(out, 'summary.txt'), text + '\n');
  return text;
}
