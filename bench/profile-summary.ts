// Summarises a V8 .cpuprofile (from `npm run bench -- --server-cpu-prof DIR`): the functions
// with the most self time and the most inclusive time, so BENCHMARKS.md can say where time goes.
//
//   node dist/bench/profile-summary.js DIR/CPU.*.cpuprofile [--top 30] [--under handleList]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function label(cf: CallFrame): string {
  const file = cf.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
  return `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
}

export function summarizeProfile(p: Profile, under?: string): { totalMs: number; self: [string, number][]; inclusive: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const stack: string[] = [];
    for (let j: number | undefined = id; j !== undefined; j = parent.get(j)) stack.push(label(byId.get(j)!.callFrame));
    if (under && !stack.some((l) => l.startsWith(under))) continue;
    total += us;
    self.set(stack[0]!, (self.get(stack[0]!) ?? 0) + us);
    for (const l of new Set(stack)) incl.set(l, (incl.get(l) ?? 0) + us);
  }
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v / 100) / 10] as [string, number]);
  return { totalMs: Math.round(total / 1000), self: top(self), inclusive: top(incl) };
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '30' }, under: { type: 'string' } }, allowPositionals: true });
  const n = Number(values.top);
  for (const file of positionals) {
    const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, values.under);
    process.stdout.write(`${file}: ${s.totalMs} ms sampled${values.under ? ` under ${values.under}` : ''}\n\nself ms\n`);
    for (const [k, v] of s.self.slice(0, n)) process.stdout.write(`${String(v).padStart(9)}  ${k}\n`);
    process.stdout.write('\ninclusive ms\n');
    for (const [k, v] of s.inclusive.slice(0, n)) process.stdout.write(`${String(v).padStart(9)}  ${k}\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  process.stdout.on('error', () => process.exit(0)); // e.g. piped into head
  main();
}
