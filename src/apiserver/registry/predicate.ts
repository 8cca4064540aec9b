// labelSelector + fieldSelector query parameters → a Predicate over stored objects.
import type { KubeObject } from '../../api/meta.js';
import { convertFieldSelector, fieldSelectorMatches, parseFieldSelector, parseLabelSelector } from '../../api/selectors/index.js';
import type { ResourceDef } from '../resources.js';
import { EVERYTHING, type Predicate } from './store.js';

export function buildPredicate(def: ResourceDef, q: URLSearchParams): Predicate {
  const ls = q.get('labelSelector') ?? '';
  const fs = q.get('fieldSelector') ?? '';
  if (!ls && !fs) return EVERYTHING;
  const labels = parseLabelSelector(ls);
  const key = `${def.group}/${def.resource}`;
  const fields = convertFieldSelector(key, parseFieldSelector(fs));
  if (labels.empty() && fields.empty()) return EVERYTHING;
  return {
    empty: false,
    matches: (obj: KubeObject) =>
      labels.matches(obj.metadata.labels) && fieldSelectorMatches(key, fields, obj as unknown as Record<string, unknown>),
  };
}
