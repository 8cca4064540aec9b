// `nft -f` text for a desired table: a readable dump (golden files, loading into an empty
// table) and the full-sync transaction kube-proxy runs against a table that may already exist.
import { chainSpec, elementText, prefix, setSpec, type NftRuleset } from './model.js';

function declarations(rs: NftRuleset, out: string[], flush: boolean): void {
  out.push(`add table ${rs.family} ${rs.table} { comment "${rs.comment}" ; }`);
  for (const s of rs.sets.values()) {
    out.push(`${prefix(rs, 'add', s.kind)} ${s.name} ${setSpec(s)}`);
    // Affinity sets keep their contents across syncs (that is the affinity).
    if (flush && !s.owner) out.push(`${prefix(rs, 'flush', s.kind)} ${s.name}`);
  }
  for (const c of rs.chains.values()) {
    out.push(`${prefix(rs, 'add', 'chain')} ${c.name}${chainSpec(c)}`);
    if (flush) out.push(`${prefix(rs, 'flush', 'chain')} ${c.name}`);
  }
}

/**
 * Rules and elements grouped by owner in first-appearance order ("" — the fixed objects —
 * first), in one pass: a per-owner scan of everything would be quadratic at 10k Services.
 */
function body(rs: NftRuleset, out: string[], blankLines: boolean): void {
  const groups = new Map<string, string[]>([['', []]]);
  const group = (owner: string | undefined) => {
    let g = groups.get(owner ?? '');
    if (!g) groups.set(owner ?? '', (g = []));
    return g;
  };
  for (const c of rs.chains.values()) {
    const g = group(c.owner);
    for (const r of c.rules) g.push(`${prefix(rs, 'add', 'rule')} ${c.name} ${r}`);
  }
  for (const [set, m] of rs.elements) {
    for (const e of m.values()) group(e.owner).push(`${prefix(rs, 'add', 'element')} ${set} ${elementText(e)}`);
  }
  for (const [owner, lines] of groups) {
    if (blankLines) out.push('', owner ? `# ${owner}` : '# fixed chains, sets and maps');
    for (const l of lines) out.push(l);
  }
}

/**
 * A readable dump: declarations first (nft resolves jump/goto targets and @sets as it reads),
 * then rules and elements grouped per Service. Loads into a namespace without the table.
 */
export function renderNftDump(rs: NftRuleset): string {
  const out: string[] = [];
  declarations(rs, out, false);
  body(rs, out, true);
  return `${out.join('\n')}\n`;
}

/**
 * Full sync: ensure and flush every chain and (non-affinity) set/map, then write everything.
 * `existingChains`/`existingSets` (from `nft list chains/sets`) name what is already in the
 * kernel; stale service chains are flushed now and returned for deletion ≥1 s later (kernels
 * before 6.2 notice late that a deleted map element no longer references a chain); stale
 * affinity sets are deleted at once.
 */
export function renderNftFullSync(
  rs: NftRuleset,
  existingChains: readonly string[] = [],
  existingSets: readonly string[] = [],
): { text: string; staleChains: string[] } {
  const out: string[] = [];
  declarations(rs, out, true);
  body(rs, out, false);
  const staleChains = existingChains.filter((c) => c.includes('/') && !rs.chains.has(c));
  for (const c of staleChains) out.push(`${prefix(rs, 'flush', 'chain')} ${c}`);
  for (const s of existingSets) if (s.startsWith('affinity-') && !rs.sets.has(s)) out.push(`${prefix(rs, 'delete', 'set')} ${s}`);
  return { text: `${out.join('\n')}\n`, staleChains };
}

/** The delayed second transaction: delete chains flushed as stale by an earlier sync. */
export function renderNftDeleteChains(rs: Pick<NftRuleset, 'family' | 'table'>, chains: readonly string[]): string {
  return chains.map((c) => `delete chain ${rs.family} ${rs.table} ${c}\n`).join('');
}
