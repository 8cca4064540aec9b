// apps/v1 Deployment and ReplicaSet validation (pkg/apis/apps/validation).
import { FieldError, fieldErr } from '../field-errors.js';
import {
  type Obj,
  arr,
  child,
  goIntOrString,
  goLabelSelector,
  goStringMap,
  isObj,
  notSupportedInOrder,
  num,
  obj,
  selectorMatches,
  str,
  strMap,
  validateLabelSelector,
  validateNonnegative,
} from './common.js';
import { GoValue } from '../field-errors.js';
import { isValidPercent } from './names.js';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validatePodTemplateSpec } from './pod.js';

function validateSelector(sel: unknown, path: string): FieldError[] {
  if (!isObj(sel)) return [fieldErr.required(path)];
  const errs = validateLabelSelector(sel, path);
  if (Object.keys(obj(sel.matchLabels)).length + arr(sel.matchExpressions).length === 0) {
    // Upstream uses the Deployment wording for ReplicaSets too.
    errs.push(fieldErr.invalid(path, goLabelSelector(sel), 'empty selector is invalid for deployment'));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet. */
function validateTemplateForReplicaSet(template: unknown, sel: unknown, path: string, owner: 'ReplicaSet'): FieldError[] {
  if (!isObj(template)) return [fieldErr.required(path)];
  const errs: FieldError[] = [];
  const labels = strMap(obj(template.metadata).labels);
  const s = obj(sel);
  const empty = Object.keys(obj(s.matchLabels)).length + arr(s.matchExpressions).length === 0;
  // A nil selector converts to labels.Nothing(), which matches no template labels at all.
  if (!isObj(sel) || (!empty && !selectorMatches(s, labels))) {
    const value = isObj(obj(template.metadata).labels) ? new GoValue(goStringMap(labels)) : new GoValue('map[string]string(nil)');
    errs.push(fieldErr.invalid(child(child(path, 'metadata'), 'labels'), value, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const spec = obj(template.spec);
  if (str(spec.restartPolicy) !== 'Always') errs.push(notSupportedInOrder(child(child(path, 'spec'), 'restartPolicy'), str(spec.restartPolicy), ['Always']));
  if (typeof spec.activeDeadlineSeconds === 'number')
    errs.push(fieldErr.forbidden(child(child(path, 'spec'), 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${owner} is not Supported`));
  return errs;
}

function intOrPercent(v: unknown): { value: number; percent: boolean } {
  if (typeof v === 'string') return { value: v.endsWith('%') ? Number(v.slice(0, -1)) : NaN, percent: true };
  return { value: num(v), percent: false };
}

function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => fieldErr.invalid(path, goIntOrString(v), m));
  return validateNonnegative(num(v), path);
}

function validateStrategy(strategy: unknown, path: string): FieldError[] {
  const s = obj(strategy);
  const type = str(s.type);
  const errs: FieldError[] = [];
  if (type === 'Recreate') {
    if (isObj(s.rollingUpdate)) errs.push(fieldErr.forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate') {
    const ru = s.rollingUpdate;
    if (!isObj(ru)) errs.push(fieldErr.required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil'));
    else {
      const p = child(path, 'rollingUpdate');
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(p, 'maxSurge')));
      if (intOrPercent(ru.maxUnavailable).value === 0 && intOrPercent(ru.maxSurge).value === 0)
        errs.push(fieldErr.invalid(child(p, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      const mu = intOrPercent(ru.maxUnavailable);
      if (mu.percent && mu.value > 100) errs.push(fieldErr.invalid(child(p, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
    }
  } else {
    errs.push(notSupportedInOrder(path, new GoValue(`apps.DeploymentStrategy{Type:"${type}"}`), ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeployment. */
export function validateDeployment(d: Obj): FieldError[] {
  const errs = validateObjectMeta(d.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  const spec = obj(d.spec);
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateSelector(spec.selector, 'spec.selector'));
  errs.push(...validateTemplateForReplicaSet(spec.template, spec.selector, 'spec.template', 'ReplicaSet'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  if (typeof spec.revisionHistoryLimit === 'number') errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= num(spec.minReadySeconds))
      errs.push(fieldErr.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

/** apps/v1 makes the selector immutable. */
function selectorImmutable(n: Obj, o: Obj): FieldError[] {
  const ns = obj(n.spec).selector;
  const os = obj(o.spec).selector;
  const e = validateImmutableField(ns ?? null, os ?? null, 'spec.selector');
  return e.length ? [fieldErr.invalid('spec.selector', isObj(ns) ? goLabelSelector(ns) : null, 'field is immutable')] : [];
}

export function validateDeploymentUpdate(d: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(d.metadata, old.metadata);
  errs.push(...validateDeployment(d).filter((e) => !e.field.startsWith('metadata.')));
  errs.push(...selectorImmutable(d, old));
  return errs;
}

/** ValidateReplicaSet. */
export function validateReplicaSet(rs: Obj): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  const spec = obj(rs.spec);
  errs.push(...validateNonnegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateNonnegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errs.push(...validateSelector(spec.selector, 'spec.selector'));
  errs.push(...validateTemplateForReplicaSet(spec.template, spec.selector, 'spec.template', 'ReplicaSet'));
  return errs;
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(rs.metadata, old.metadata);
  errs.push(...validateReplicaSet(rs).filter((e) => !e.field.startsWith('metadata.')));
  errs.push(...selectorImmutable(rs, old));
  return errs;
}
