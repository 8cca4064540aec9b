// labels.FormatLabels, metav1.LabelSelectorAsSelector(...).String() and metav1.FormatLabelSelector.

type LabelMap = Readonly<Record<string, string>> | null | undefined;

interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}
export interface LabelSelector {
  matchLabels?: LabelMap;
  matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

// Go sorts strings bytewise; localeCompare would not.
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: "k=v" sorted by key, joined by ","; "<none>" when empty. */
export function formatLabels(labels: LabelMap): string {
  const keys = Object.keys(labels ?? {}).sort(byteCompare);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    return prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix);
  }
  return true;
}

function validValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/**
 * labels.Requirement.String() of each requirement, sorted by key as labels.Selector.Add does.
 * Returns undefined where upstream's LabelSelectorAsSelector returns an error. A nil selector
 * (labels.Nothing()) and an empty one (labels.Everything()) both print "".
 */
export function labelSelectorString(sel: LabelSelector | null | undefined): string | undefined {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    if (!validKey(key) || !validValue(value)) return undefined;
    reqs.push({ key, text: `${key}=${value}` });
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])];
    if (!validKey(expr.key) || !values.every(validValue)) return undefined;
    let text: string;
    switch (expr.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) return undefined;
        // String() sorts values on output without touching the selector.
        const joined = values.length === 1 ? values[0]! : [...values].sort(byteCompare).join(',');
        text = `${expr.key} ${expr.operator === 'In' ? 'in' : 'notin'} (${joined})`;
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return undefined;
        text = expr.operator === 'Exists' ? expr.key : `!${expr.key}`;
        break;
      default:
        return undefined;
    }
    reqs.push({ key: expr.key, text });
  }
  // Array.prototype.sort is stable, like Go's insertion sort for the small slices seen here.
  return reqs
    .sort((a, b) => byteCompare(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: "<error>" on a bad selector, "<none>" when it prints empty. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, each joined by ",". */
export function layoutContainerCells(
  containers: readonly { name?: string; image?: string }[] | null | undefined,
): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}
