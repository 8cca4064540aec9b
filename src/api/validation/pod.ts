// Pod and pod-template validation (ValidatePodCreate, ValidatePodUpdate, ValidatePodTemplateSpec).
import { FieldError, fieldErr } from '../field-errors.js';
import {
  type Obj,
  arr,
  child,
  deepEqual,
  index,
  invalidEach,
  isObj,
  notSupportedInOrder,
  obj,
  str,
  strs,
  validateDNS1123Label,
  validateLabels,
  validateQualifiedName,
} from './common.js';
import { validateIP } from './ip.js';
import { inclusiveRangeError, isDNS1123Subdomain, isValidLabelValue } from './names.js';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { validateContainers, validateInitContainers } from './pod-containers.js';

const MAX_INT32 = 2147483647;

/** Volume source fields; exactly one must be set per volume. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

/** ValidateVolumes; returns the set of valid names for the volume-mount checks. */
export function validateVolumes(volumes: unknown, path: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  arr(volumes).forEach((v, i) => {
    const idx = index(path, i);
    const name = str(v.name);
    const nameErrs = name ? validateDNS1123Label(name, child(idx, 'name')) : [fieldErr.required(child(idx, 'name'))];
    let sources = 0;
    const srcErrs: FieldError[] = [];
    for (const s of VOLUME_SOURCES) {
      if (!isObj(v[s])) continue;
      if (sources++ > 0) srcErrs.push(fieldErr.forbidden(child(idx, s), 'may not specify more than 1 volume type'));
      else if (s === 'secret' && !str(v[s].secretName)) srcErrs.push(fieldErr.required(child(child(idx, s), 'secretName')));
      else if (s === 'hostPath' && !str(v[s].path)) srcErrs.push(fieldErr.required(child(child(idx, s), 'path')));
      else if (s === 'persistentVolumeClaim' && !str(v[s].claimName)) srcErrs.push(fieldErr.required(child(child(idx, s), 'claimName')));
    }
    if (sources === 0) srcErrs.push(fieldErr.required(idx, 'must specify a volume type'));
    if (nameErrs.length === 0 && srcErrs.length === 0) {
      if (names.has(name)) errs.push(fieldErr.duplicate(child(idx, 'name'), name));
      else names.add(name);
    } else {
      errs.push(...nameErrs, ...srcErrs);
    }
  });
  return { names, errs };
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t, i) => {
    const idx = index(path, i);
    const k = str(t.key);
    const op = str(t.operator);
    const effect = str(t.effect);
    if (k) errs.push(...validateQualifiedName(k, child(idx, 'key')));
    if (!k && op !== 'Exists')
      errs.push(fieldErr.invalid(child(idx, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (typeof t.tolerationSeconds === 'number' && effect !== 'NoExecute')
      errs.push(fieldErr.invalid(child(idx, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(fieldErr.invalid(child(idx, 'operator'), str(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (str(t.value)) errs.push(fieldErr.invalid(child(idx, 'operator'), str(t.value), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupportedInOrder(child(idx, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect))
      errs.push(notSupportedInOrder(child(idx, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

/** ValidatePodSpec (shared by Pods and pod templates). */
export function validatePodSpec(specIn: unknown, path: string): FieldError[] {
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  if (typeof spec.terminationGracePeriodSeconds !== 'number') errs.push(fieldErr.required(child(path, 'terminationGracePeriodSeconds')));
  const vols = validateVolumes(spec.volumes, child(path, 'volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainers(spec.containers, vols.names, child(path, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, vols.names, child(path, 'initContainers')));
  const rp = str(spec.restartPolicy);
  if (!rp) errs.push(fieldErr.required(child(path, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(notSupportedInOrder(child(path, 'restartPolicy'), rp, ['Always', 'OnFailure', 'Never']));
  const dp = str(spec.dnsPolicy);
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dp) errs.push(fieldErr.required(child(path, 'dnsPolicy')));
  else if (!dnsPolicies.includes(dp)) errs.push(notSupportedInOrder(child(path, 'dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validateDNSConfig(spec.dnsConfig, dp, child(path, 'dnsConfig')));
  arr(spec.readinessGates).forEach((g, i) =>
    errs.push(...validateQualifiedName(str(g.conditionType), child(index(child(path, 'readinessGates'), i), 'conditionType'))),
  );
  const gates = new Set<string>();
  arr(spec.schedulingGates).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...validateQualifiedName(str(g.name), p));
    if (gates.has(str(g.name))) errs.push(fieldErr.duplicate(p, str(g.name)));
    gates.add(str(g.name));
  });
  const sa = str(spec.serviceAccountName);
  if (sa) errs.push(...invalidEach(child(path, 'serviceAccountName'), sa, isDNS1123Subdomain(sa)));
  const node = str(spec.nodeName);
  if (node) errs.push(...invalidEach(child(path, 'nodeName'), node, isDNS1123Subdomain(node)));
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32))
    errs.push(fieldErr.invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, MAX_INT32)));
  if (str(spec.hostname)) errs.push(...validateDNS1123Label(str(spec.hostname), child(path, 'hostname')));
  if (str(spec.subdomain)) errs.push(...validateDNS1123Label(str(spec.subdomain), child(path, 'subdomain')));
  errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  arr(spec.hostAliases).forEach((h, i) => errs.push(...validateIP(child(index(child(path, 'hostAliases'), i), 'ip'), str(h.ip))));
  const pc = str(spec.priorityClassName);
  if (pc) errs.push(...invalidEach(child(path, 'priorityClassName'), pc, isDNS1123Subdomain(pc)));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    const pp = str(spec.preemptionPolicy);
    if (!pp) errs.push(fieldErr.required(child(path, 'preemptionPolicy')));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never')
      errs.push(notSupportedInOrder(child(path, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

function validateDNSConfig(cfg: unknown, dnsPolicy: string, path: string): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!isObj(cfg)) return [fieldErr.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (strs(cfg.nameservers).length === 0)
      return [fieldErr.required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObj(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = strs(cfg.nameservers);
  if (ns.length > 3) errs.push(fieldErr.invalid(child(path, 'nameservers'), ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...validateIP(index(child(path, 'nameservers'), i), n)));
  const searches = strs(cfg.searches);
  if (searches.length > 32) errs.push(fieldErr.invalid(child(path, 'searches'), searches, 'must not have more than 32 search paths'));
  searches.forEach((s, i) => {
    const t = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...invalidEach(index(child(path, 'searches'), i), t, isDNS1123Subdomain(t)));
  });
  arr(cfg.options).forEach((o, i) => {
    if (!str(o.name)) errs.push(fieldErr.required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

function validateContainersOnlyForPod(containers: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(containers).forEach((c, i) => {
    const image = str(c.image);
    if (image.trim().length !== image.length)
      errs.push(fieldErr.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

function validatePodMetadataAndSpec(pod: Obj): FieldError[] {
  const spec = obj(pod.spec);
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameFn: 'dns1123Subdomain' });
  const annotations = obj(obj(pod.metadata).annotations);
  if ('kubernetes.io/config.mirror' in annotations && !str(spec.nodeName)) {
    errs.push(
      fieldErr.invalid('metadata.annotations[kubernetes.io/config.mirror]', str(annotations['kubernetes.io/config.mirror']), 'must set spec.nodeName if mirror pod annotation is set'),
    );
  }
  errs.push(...validatePodSpec(spec, 'spec'));
  if (!str(spec.serviceAccountName)) {
    arr(spec.volumes).forEach((v, vi) => {
      arr(obj(v.projected).sources).forEach((s, si) => {
        if (isObj(s.serviceAccountToken))
          errs.push(fieldErr.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
      });
    });
  }
  errs.push(...validateContainersOnlyForPod(spec.containers, 'spec.containers'));
  errs.push(...validateContainersOnlyForPod(spec.initContainers, 'spec.initContainers'));
  return errs;
}

/** ValidatePodCreate. */
export function validatePod(pod: Obj): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = obj(pod.spec);
  if (arr(spec.ephemeralContainers).length > 0) errs.push(fieldErr.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && arr(spec.schedulingGates).length > 0)
    errs.push(fieldErr.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** A short field-level diff standing in for upstream's cmp.Diff output after the message. */
function specDiff(oldSpec: Obj, newSpec: Obj): string {
  const lines = ['  core.PodSpec{'];
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])].sort();
  for (const k of keys) {
    if (deepEqual(oldSpec[k], newSpec[k])) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${k}: ${JSON.stringify(oldSpec[k])},`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(newSpec[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

function containerUpdates(newList: unknown, oldList: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const n = arr(newList);
  if (n.length !== arr(oldList).length) return { errs: [fieldErr.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(fieldErr.required(child(index(path, i), 'image')));
    if (image.trim().length !== image.length)
      errs.push(fieldErr.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function tolerationKey(t: Obj): string {
  return JSON.stringify([str(t.key), str(t.operator), str(t.value), str(t.effect)]);
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and removed gates may change. */
export function validatePodUpdate(newPod: Obj, oldPod: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod));
  const ns = obj(newPod.spec);
  const os = obj(oldPod.spec);
  for (const list of ['containers', 'initContainers']) {
    const r = containerUpdates(ns[list], os[list], `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const nads = ns.activeDeadlineSeconds;
  const oads = os.activeDeadlineSeconds;
  if (typeof nads === 'number') {
    if (nads < 0 || nads > MAX_INT32) return [...errs, fieldErr.invalid('spec.activeDeadlineSeconds', nads, inclusiveRangeError(0, MAX_INT32))];
    if (typeof oads === 'number' && oads < nads)
      return [...errs, fieldErr.invalid('spec.activeDeadlineSeconds', nads, 'must be less than or equal to previous value')];
  } else if (typeof oads === 'number') {
    errs.push(fieldErr.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added (tolerationSeconds of an existing one may change).
  const newTols = new Set(arr(ns.tolerations).map(tolerationKey));
  for (const t of arr(os.tolerations)) {
    if (!newTols.has(tolerationKey(t))) errs.push(fieldErr.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  const newGates = new Set(arr(ns.schedulingGates).map((g) => str(g.name)));
  const oldGates = new Set(arr(os.schedulingGates).map((g) => str(g.name)));
  for (const g of newGates) if (!oldGates.has(g)) errs.push(fieldErr.forbidden('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate \'' + g + '\''));
  if (deepEqual(ns, os)) return errs;

  const munged: Obj = { ...ns };
  const withOldImages = (list: unknown, old: unknown) => arr(list).map((c, i) => ({ ...c, image: arr(old)[i]?.image }));
  if (Array.isArray(ns.containers)) munged.containers = withOldImages(ns.containers, os.containers);
  if (Array.isArray(ns.initContainers)) munged.initContainers = withOldImages(ns.initContainers, os.initContainers);
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if (arr(os.schedulingGates).length > 0) {
    // Gated pods may gain nodeSelector entries and node affinity; the detailed rules are not modelled.
    munged.nodeSelector = os.nodeSelector;
    if (isObj(munged.affinity) || isObj(os.affinity)) munged.affinity = os.affinity;
  }
  if (!deepEqual(munged, os)) {
    errs.push(
      fieldErr.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(os, munged)}`),
    );
  }
  return errs;
}

/** ValidatePodTemplateSpec (Deployments, ReplicaSets). */
export function validatePodTemplateSpec(template: unknown, path: string): FieldError[] {
  const t = obj(template);
  const meta = obj(t.metadata);
  // Upstream reports template label errors at <path>.labels (without "metadata").
  const errs = validateLabels(meta.labels, child(path, 'labels'));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpec(t.spec, child(path, 'spec')));
  if (arr(obj(t.spec).ephemeralContainers).length > 0)
    errs.push(fieldErr.forbidden(child(child(path, 'spec'), 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return errs;
}
