// A desired nftables table as data: chains with their rules, sets/maps with their elements, and
// which Service owns each per-service object (so a partial sync can touch only those). The
// text forms are knftables' (sigs.k8s.io/knftables) `nft -f` syntax, as kube-proxy writes it.

export type NftFamily = 'ip' | 'ip6';

export interface NftChain {
  readonly name: string;
  /** Base chains only: nat/filter, the hook and the numeric priority. */
  readonly base?: { readonly type: 'filter' | 'nat'; readonly hook: string; readonly priority: number };
  readonly comment?: string;
  readonly rules: string[];
  /** "ns/name" of the Service owning a per-service chain. */
  readonly owner?: string;
}

export interface NftSet {
  readonly kind: 'set' | 'map';
  readonly name: string;
  readonly type: string;
  readonly flags?: readonly string[];
  readonly timeoutSeconds?: number;
  readonly comment?: string;
  readonly owner?: string;
}

export interface NftElement {
  /** Concatenated key as nft prints it: "172.30.0.41 . tcp . 80". */
  readonly key: string;
  /** Map value (a verdict such as "goto service-…", "drop"); undefined for sets. */
  readonly value?: string;
  readonly comment?: string;
  readonly owner?: string;
}

export interface NftRuleset {
  readonly family: NftFamily;
  readonly table: string;
  readonly comment: string;
  readonly chains: Map<string, NftChain>;
  readonly sets: Map<string, NftSet>;
  /** Set/map name → element key → element. */
  readonly elements: Map<string, Map<string, NftElement>>;
}

export function newRuleset(family: NftFamily, table: string, comment: string): NftRuleset {
  return { family, table, comment, chains: new Map(), sets: new Map(), elements: new Map() };
}

export function addChain(rs: NftRuleset, chain: Omit<NftChain, 'rules'>): NftChain {
  const existing = rs.chains.get(chain.name);
  if (existing) return existing;
  const c: NftChain = { ...chain, rules: [] };
  rs.chains.set(c.name, c);
  return c;
}

export function addRule(rs: NftRuleset, chain: string, rule: string): void {
  const c = rs.chains.get(chain);
  if (!c) throw new Error(`nftables ruleset: rule for undeclared chain ${chain}`);
  c.rules.push(rule);
}

export function addSet(rs: NftRuleset, set: NftSet): void {
  if (!rs.sets.has(set.name)) rs.sets.set(set.name, set);
  if (!rs.elements.has(set.name)) rs.elements.set(set.name, new Map());
}

export function addElement(rs: NftRuleset, set: string, el: NftElement): void {
  const m = rs.elements.get(set);
  if (!m) throw new Error(`nftables ruleset: element for undeclared set ${set}`);
  m.set(el.key, el);
}

const quote = (s: string) => `"${s}"`;

/** The `{ type … ; … }` body of a set/map declaration. */
export function setSpec(s: NftSet): string {
  const parts = [`type ${s.type}`];
  if (s.flags?.length) parts.push(`flags ${s.flags.join(',')}`);
  if (s.timeoutSeconds !== undefined) parts.push(`timeout ${s.timeoutSeconds}s`);
  if (s.comment) parts.push(`comment ${quote(s.comment)}`);
  return `{ ${parts.join(' ; ')} ; }`;
}

export function chainSpec(c: NftChain): string {
  const parts: string[] = [];
  if (c.base) parts.push(`type ${c.base.type} hook ${c.base.hook} priority ${c.base.priority}`);
  if (c.comment) parts.push(`comment ${quote(c.comment)}`);
  return parts.length ? ` { ${parts.join(' ; ')} ; }` : '';
}

export function elementText(e: NftElement): string {
  const comment = e.comment ? ` comment ${quote(e.comment)}` : '';
  return e.value === undefined ? `{ ${e.key}${comment} }` : `{ ${e.key}${comment} : ${e.value} }`;
}

/** `<verb> <kind> ip kube-proxy` prefix. */
export function prefix(rs: NftRuleset, verb: string, kind: string): string {
  return `${verb} ${kind} ${rs.family} ${rs.table}`;
}
