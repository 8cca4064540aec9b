// Partial sync (kube-proxy PR #126013's idea, done from in-memory state): given the table
// programmed by the last successful sync and the desired one, the transaction that rewrites
// only the chains, sets and map elements that differ, restricted to the Services that changed.
import { chainSpec, elementText, prefix, setSpec, type NftElement, type NftRuleset } from './model.js';

export interface NftPartialSync {
  /** The `nft -f` transaction; empty when nothing differs. */
  readonly text: string;
  /** Service chains flushed because they are gone; delete them in a later transaction. */
  readonly staleChains: string[];
  /** Number of chains rewritten (for logs/metrics). */
  readonly chainsWritten: number;
}

const sameRules = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r, i) => r === b[i]);
const sameElement = (a: NftElement, b: NftElement) => a.value === b.value && a.comment === b.comment;

/**
 * `changedServices` ("ns/name") limits which per-service chains are compared; fixed chains and
 * map elements are always diffed (elements are cheap to compare and must stay exact). Without
 * it every chain is compared.
 */
export function renderNftPartialSync(prev: NftRuleset, cur: NftRuleset, changedServices?: ReadonlySet<string>): NftPartialSync {
  const considered = (owner: string | undefined) => owner === undefined || changedServices === undefined || changedServices.has(owner);
  const addSets: string[] = [];
  const addChains: string[] = [];
  const flushChains: string[] = [];
  const deleteElements: string[] = [];
  const rules: string[] = [];
  const addElements: string[] = [];
  const deleteSets: string[] = [];
  const staleChains: string[] = [];
  let chainsWritten = 0;

  for (const s of cur.sets.values()) {
    if (!prev.sets.has(s.name)) addSets.push(`${prefix(cur, 'add', s.kind)} ${s.name} ${setSpec(s)}`);
  }
  for (const s of prev.sets.values()) {
    if (!cur.sets.has(s.name)) deleteSets.push(`${prefix(cur, 'delete', s.kind)} ${s.name}`);
  }
  for (const c of cur.chains.values()) {
    if (!considered(c.owner)) continue;
    const old = prev.chains.get(c.name);
    if (!old) addChains.push(`${prefix(cur, 'add', 'chain')} ${c.name}${chainSpec(c)}`);
    else if (sameRules(old.rules, c.rules)) continue;
    else flushChains.push(`${prefix(cur, 'flush', 'chain')} ${c.name}`);
    chainsWritten++;
    for (const r of c.rules) rules.push(`${prefix(cur, 'add', 'rule')} ${c.name} ${r}`);
  }
  for (const c of prev.chains.values()) {
    if (cur.chains.has(c.name) || !considered(c.owner)) continue;
    flushChains.push(`${prefix(cur, 'flush', 'chain')} ${c.name}`);
    staleChains.push(c.name);
  }
  for (const [set, curEls] of cur.elements) {
    const prevEls = prev.elements.get(set) ?? new Map<string, NftElement>();
    for (const [key, e] of curEls) {
      const old = prevEls.get(key);
      if (old && sameElement(old, e)) continue;
      // A changed value is delete + add: `add element` does not replace a map value.
      if (old) deleteElements.push(`${prefix(cur, 'delete', 'element')} ${set} { ${key} }`);
      addElements.push(`${prefix(cur, 'add', 'element')} ${set} ${elementText(e)}`);
    }
    for (const key of prevEls.keys()) {
      if (!curEls.has(key)) deleteElements.push(`${prefix(cur, 'delete', 'element')} ${set} { ${key} }`);
    }
  }
  // Order matters inside one transaction: objects exist before they are referenced, elements
  // pointing at a chain go before that chain is flushed, sets go after the rules using them.
  const lines = [...addSets, ...addChains, ...deleteElements, ...flushChains, ...rules, ...addElements, ...deleteSets];
  return { text: lines.length ? `${lines.join('\n')}\n` : '', staleChains, chainsWritten };
}
