// The Service registry's hooks: what pkg/registry/core/service/storage does around the generic
// store (allocation in BeginCreate/BeginUpdate, release after delete, defaultOnRead) and what its
// strategy adds (dropTypeDependentFields on update, warnings).
import type { KubeObject } from '../../../api/meta.js';
import type { PendingChange, RequestContext, Strategy } from '../strategy.js';
import { allocateCreate, allocateUpdate, releaseAll } from './allocate.js';
import { validate } from '../../../api/validation/index.js';
import { serviceWarnings } from './warnings.js';
import type { AllocationTxn, ServiceIPConfig, ServiceWithSpec } from './types.js';
import { defaultOnRead, dropEmptyFields, dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues } from './update-helpers.js';

export interface ServiceAllocation {
  readonly ipConfig: ServiceIPConfig;
  /** A transaction over the ClusterIP and NodePort allocators (dry runs reserve nothing). */
  begin(dryRun: boolean): AllocationTxn;
}

const asService = (o: KubeObject) => o as unknown as ServiceWithSpec;

function pending(txn: AllocationTxn): PendingChange {
  return { commit: () => txn.commit(), revert: () => txn.revert() };
}

export function serviceStrategy(alloc: ServiceAllocation): Partial<Strategy> {
  return {
    allowCreateOnUpdate: true,
    async beginCreate(obj: KubeObject, ctx: RequestContext) {
      const svc = asService(obj);
      svc.spec ??= {};
      normalizeClusterIPs(svc, undefined);
      const txn = alloc.begin(ctx.dryRun);
      try {
        await allocateCreate(svc, alloc.ipConfig, txn);
      } catch (err) {
        await txn.revert();
        throw err;
      }
      return pending(txn);
    },
    async beginUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext) {
      const svc = asService(obj);
      const prev = asService(old);
      svc.spec ??= {};
      patchAllocatedValues(svc, prev);
      normalizeClusterIPs(svc, prev);
      const txn = alloc.begin(ctx.dryRun);
      try {
        await allocateUpdate(svc, prev, alloc.ipConfig, txn);
      } catch (err) {
        await txn.revert();
        throw err;
      }
      return pending(txn);
    },
    prepareForCreate(obj: KubeObject) {
      obj.status = { loadBalancer: {} };
      // Normalized as defaultOnRead would be, but once at write time, so reads (and the LIST
      // fast path that splices stored text) see exactly what upstream's reads show.
      defaultOnRead(asService(obj), alloc.ipConfig);
      dropEmptyFields(asService(obj));
    },
    prepareForUpdate(obj: KubeObject, old: KubeObject) {
      dropTypeDependentFields(asService(obj), asService(old));
      defaultOnRead(asService(obj), alloc.ipConfig);
      dropEmptyFields(asService(obj));
    },
    // Upstream's BeforeCreate/BeforeUpdate ask for warnings only once validation has passed: a
    // rejected Service gets its errors and nothing else.
    validate(obj: KubeObject, ctx: RequestContext) {
      const errs = validate('', 'v1', 'Service', obj);
      if (!errs.length) for (const w of serviceWarnings(asService(obj), undefined)) ctx.warnings.push(w);
      return errs;
    },
    validateUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext) {
      const errs = validate('', 'v1', 'Service', obj, old);
      if (!errs.length) for (const w of serviceWarnings(asService(obj), asService(old))) ctx.warnings.push(w);
      return errs;
    },
    async afterDelete(obj: KubeObject) {
      const txn = alloc.begin(false);
      releaseAll(asService(obj), txn);
      await txn.commit();
    },
  };
}
