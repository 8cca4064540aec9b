// A RESTStrategy per resource, as in k8s.io/apiserver/pkg/registry/rest: the generic store
// calls these hooks; everything resource-specific lives behind them.
import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDef } from '../resources.js';

export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

export interface RequestContext {
  readonly now: Date;
  readonly dryRun: boolean;
  readonly user: UserInfo;
  /** The field manager of this write (fieldManager query or derived from User-Agent). */
  readonly fieldManager: string;
  /** Collected `Warning: 299` texts to send back. */
  readonly warnings: string[];
}

/** Side effects begun before a write (allocations) that must be undone if the write fails. */
export interface PendingChange {
  commit(): void | Promise<void>;
  revert(): void | Promise<void>;
}

export interface Strategy {
  readonly def: ResourceDef;
  /** metadata.generation is set to 1 on create and bumped when anything but metadata/status changes. */
  readonly tracksGeneration: boolean;
  /** The main resource ignores status changes; the status subresource ignores everything else. */
  readonly hasStatusSubresource: boolean;
  readonly allowCreateOnUpdate: boolean;
  /** DELETE answers with the deleted object instead of a Success Status. */
  readonly returnDeletedObject: boolean;

  /**
   * The kind's SetDefaults, as the codec runs it on every decoded body. Server-side apply runs it
   * on the merged object (upstream's field manager defaults what it built), which never passes
   * through a decoder.
   */
  applyDefaults(obj: KubeObject): void;
  prepareForCreate(obj: KubeObject, ctx: RequestContext): void;
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;
  validate(obj: KubeObject, ctx: RequestContext): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[];
  /** Allocation and similar side effects, run after validation-independent prep. */
  beginCreate?(obj: KubeObject, ctx: RequestContext): Promise<PendingChange | undefined>;
  beginUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): Promise<PendingChange | undefined>;
  /** Refuses a delete before anything changes (admission's delete checks); throws a StatusError. */
  validateDelete?(obj: KubeObject, ctx: RequestContext): void;
  afterDelete?(obj: KubeObject, ctx: RequestContext): Promise<void>;
  /** Grace period for graceful deletion (Pods); undefined deletes immediately. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /** Whether something must still finalize the object before it may go (default: metadata.finalizers). */
  hasPendingFinalizers?(obj: KubeObject): boolean;
  /** Marks an object whose deletion has begun but must wait (Namespace: phase Terminating). */
  beginGracefulDeletion?(obj: KubeObject): void;
  /** Normalizes objects as they are read (defaultOnRead). */
  decorate?(obj: KubeObject): void;
  /** The status subresource's view of an update: keep old spec, take new status. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject, ctx: RequestContext): void;
}
