// initIPFamilyFields (pkg/registry/core/service/storage/alloc.go): defaults ipFamilyPolicy and
// ipFamilies from the cluster's configuration while checking that what the user asked for is
// configured here. Runs before allocation, on create and update, and its errors come back alone.
import { apiErrors } from '../../../api/errors.js';
import { fieldErr, GoValue, goStringSlice, type FieldError } from '../../../api/field-errors.js';
import { validateServiceClusterIPsRelatedFields } from '../../../api/validation/index.js';
import { isExternalName } from '../../../api/service.js';
import { CLUSTER_IP_NONE, type IPFamily } from '../../../api/types/core/v1.js';
import { ipFamilyOf } from '../../../util/ip.js';
import type { ServiceIPConfig, ServiceWithSpec as Service } from './types.js';

const sameList = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i]);

/** The PreferDualStack service whose IP fields did not change is never up/downgraded. */
export function isMatchingPreferDualStackClusterIPFields(svc: Service, old: Service | undefined): boolean {
  if (!old) return false;
  // A type change runs the whole process; only types with a ClusterIP qualify.
  if (svc.spec.type !== old.spec.type || !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(svc.spec.type ?? '')) return false;
  if (svc.spec.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (old.spec.ipFamilyPolicy && old.spec.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameList(svc.spec.clusterIPs, old.spec.clusterIPs) && sameList(svc.spec.ipFamilies, old.spec.ipFamilies);
}

const policyValue = (svc: Service) => new GoValue(JSON.stringify(svc.spec.ipFamilyPolicy ?? ''));

function invalid(svc: Service, errs: FieldError[]) {
  return apiErrors.invalid('', 'Service', svc.metadata.name ?? '', errs);
}

export function initIPFamilyFields(svc: Service, old: Service | undefined, cfg: ServiceIPConfig): void {
  const spec = svc.spec;
  if (isExternalName(svc)) return;
  if (isMatchingPreferDualStackClusterIPFields(svc, old)) return;

  if (!spec.ipFamilyPolicy) {
    if (old?.spec.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }

  const early = validateServiceClusterIPsRelatedFields(svc as unknown as Record<string, unknown>);
  if (early.length) throw invalid(svc, early);

  const errs: FieldError[] = [];
  if (old) {
    if (spec.ipFamilyPolicy === 'SingleStack') {
      // Setting SingleStack with unchanged clusterIPs/ipFamilies is clear intent to drop the secondary.
      if (sameList(old.spec.clusterIPs, spec.clusterIPs) && (spec.clusterIPs ?? []).length > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
      if (sameList(old.spec.ipFamilies, spec.ipFamilies) && (spec.ipFamilies ?? []).length > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
    } else {
      // reducedClusterIPs/reducedIPFamilies: an empty list means "not specified", not reduced.
      const cips = (spec.clusterIPs ?? []).length;
      if (cips > 0 && cips < (old.spec.clusterIPs ?? []).length) {
        errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policyValue(svc), "must be 'SingleStack' to release the secondary cluster IP"));
      }
      const fams = (spec.ipFamilies ?? []).length;
      if (fams > 0 && fams < (old.spec.ipFamilies ?? []).length) {
        errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policyValue(svc), "must be 'SingleStack' to release the secondary IP family"));
      }
    }
  }
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if ((spec.clusterIPs ?? []).length === 2) {
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policyValue(svc), "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if ((spec.ipFamilies ?? []).length === 2) {
      errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policyValue(svc), "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // Infer ipFamilies from the clusterIPs the user gave.
  const clusterIPs = spec.clusterIPs ?? [];
  for (let i = 0; i < clusterIPs.length; i++) {
    const ip = clusterIPs[i]!;
    if (ip === CLUSTER_IP_NONE) break;
    // familyOf: IsIPv4String, else IsIPv6String, else "unknown" (validation has parsed them already).
    const fam = ipFamilyOf(ip, { sloppy: true });
    if (i >= (spec.ipFamilies ?? []).length) {
      if (fam === undefined || !cfg.families.includes(fam)) {
        errs.push(fieldErr.invalid(`spec.clusterIPs[${i}]`, new GoValue(goStringSlice(clusterIPs)), `${fam ?? 'unknown'} is not configured on this cluster`));
      } else {
        spec.ipFamilies = [...(spec.ipFamilies ?? []), fam];
      }
    }
  }
  if (errs.length) throw invalid(svc, errs);

  // Headless and selectorless: allowed to be dual-stack even on a single-stack cluster.
  if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) {
    if (!spec.ipFamilies?.length) spec.ipFamilies = [cfg.families[0]!];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
      spec.ipFamilies = [...spec.ipFamilies, other(spec.ipFamilies[0]!)];
    }
    return;
  }

  if (spec.ipFamilyPolicy === 'RequireDualStack' && cfg.families.length < 2) {
    errs.push(fieldErr.invalid('spec.ipFamilyPolicy', policyValue(svc), 'this cluster is not configured for dual-stack services'));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (!cfg.families.includes(f)) errs.push(fieldErr.invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errs.length) throw invalid(svc, errs);

  if (!spec.ipFamilies?.length) spec.ipFamilies = [cfg.families[0]!];
  if (spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length === 1 && cfg.families.length === 2) {
    spec.ipFamilies = [...spec.ipFamilies, other(spec.ipFamilies[0]!)];
  }
}

function other(f: IPFamily): IPFamily {
  return f === 'IPv4' ? 'IPv6' : 'IPv4';
}
