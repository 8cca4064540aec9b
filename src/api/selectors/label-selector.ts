// Label selectors: the `labelSelector` query string, metav1.LabelSelector objects (Deployment,
// ReplicaSet) and map selectors (Service spec.selector), all as one LabelSelector value.
//
// Empty vs nil, as upstream:
//  - parseLabelSelector('') and selectorFromSet({}) / selectorFromSet(undefined) match everything;
//  - labelSelectorFromObject(undefined | null) matches nothing, labelSelectorFromObject({}) everything.
// A Service with no selector is not "select everything": controllers (EndpointSlice, Endpoints)
// skip Services whose spec.selector is nil, and must check that before calling selectorFromSet.
// (`selector: {}` does not survive a typed round trip upstream — omitempty drops it — so it
// behaves as nil too.)
import { apiErrors, type StatusError } from '../errors.js';
import { goQuote } from '../field-errors.js';
import { LabelSelectorParseError, parseRequirements } from './label-selector-parser.js';
import {
  newRequirement,
  requirementMatches,
  requirementString,
  type LabelOperator,
  type Labels,
  type Requirement,
} from './label-requirement.js';

export class LabelSelector {
  static readonly #everything = new LabelSelector([], false);
  static readonly #nothing = new LabelSelector([], true);

  /** Requirements sorted by key; all must match. */
  readonly requirements: readonly Requirement[];
  /** True for labels.Nothing(): matches no object at all. */
  readonly matchesNothing: boolean;

  private constructor(requirements: readonly Requirement[], matchesNothing: boolean) {
    // sort.Sort(ByKey): keep equal keys in source order (stable).
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.matchesNothing = matchesNothing;
  }

  static of(requirements: readonly Requirement[]): LabelSelector {
    return new LabelSelector(requirements, false);
  }

  static everything(): LabelSelector {
    return LabelSelector.#everything;
  }

  static nothing(): LabelSelector {
    return LabelSelector.#nothing;
  }

  matches(labels: Labels | undefined | null): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels ?? undefined));
  }

  /** Selects everything (labels.Everything(), an empty parse). Nothing() is not empty. */
  empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  /** The value a selector pins `key` to (=, ==, or in with one value), as RequiresExactMatch. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    return (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1 ? r.values[0] : undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/**
 * labels.Parse of a `labelSelector` query value. Invalid selectors throw the 400 the apiserver
 * answers a list/watch with (message = the parser's error, e.g.
 * `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`).
 */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    return LabelSelector.of(parseRequirements(selector));
  } catch (err) {
    if (err instanceof LabelSelectorParseError) throw apiErrors.badRequest(err.message);
    throw err;
  }
}

/** metav1.LabelSelectorRequirement operators and their selection.Operator. */
const OBJECT_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] | null }[] | null;
}

function selectorError(message: string): StatusError {
  return apiErrors.badRequest(message);
}

/**
 * metav1.LabelSelectorAsSelector: nil matches nothing, an empty selector everything. Invalid
 * keys, values or operators throw a 400 carrying upstream's error text.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return LabelSelector.nothing();
  const matchLabels = sel.matchLabels ?? {};
  const matchExpressions = sel.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + matchExpressions.length === 0) return LabelSelector.everything();
  const requirements: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) {
    const r = newRequirement(k, '=', [v]);
    if (r.error !== undefined) throw selectorError(r.error);
    requirements.push(r.requirement);
  }
  for (const expr of matchExpressions) {
    const op = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator] : undefined;
    if (!op) throw selectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    const r = newRequirement(expr.key, op, [...(expr.values ?? [])]);
    if (r.error !== undefined) throw selectorError(r.error);
    requirements.push(r.requirement);
  }
  return LabelSelector.of(requirements);
}

/**
 * labels.SelectorFromSet (e.g. a Service's spec.selector): key=value for every entry, not
 * validated. A nil or empty map matches everything — see the note at the top about nil.
 */
export function selectorFromSet(set: Readonly<Record<string, string>> | null | undefined): LabelSelector {
  if (!set) return LabelSelector.everything();
  return LabelSelector.of(Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] })));
}
