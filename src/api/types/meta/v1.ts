// meta.k8s.io/v1 (k8s.io/apimachinery/pkg/apis/meta/v1 types.go) as JSON: the field names and
// optionality of the wire form. A field is optional here exactly when upstream marks it
// `omitempty` or a pointer. Lists that Go marshals as `null` when nil (no omitempty) or that
// clients commonly send as null are typed `T[] | null`.

/** RFC 3339 with second precision ("2024-01-02T03:04:05Z"); a zero Time marshals as null. */
export type Time = string;
/** RFC 3339 with microseconds ("2024-01-02T03:04:05.000000Z"), used by Events and Leases. */
export type MicroTime = string;
/** A Go duration string ("1h2m3s"). */
export type Duration = string;
/** metav1.ConditionStatus: True, False or Unknown. */
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** At most one owner may be the managing controller (metav1.GetControllerOf). */
  controller?: boolean;
  /** Foreground deletion waits for this dependent before removing the owner. */
  blockOwnerDeletion?: boolean;
}

export const MANAGED_FIELDS_OPERATIONS = ['Apply', 'Update'] as const;
export type ManagedFieldsOperationType = (typeof MANAGED_FIELDS_OPERATIONS)[number];

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: ManagedFieldsOperationType;
  apiVersion?: string;
  time?: Time;
  /** Always "FieldsV1" today. */
  fieldsType?: string;
  /** The structured-merge-diff field set, kept opaque. */
  fieldsV1?: unknown;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  /** Deprecated; never set by kube-apiserver since 1.20. */
  selfLink?: string;
  uid?: string;
  /** Opaque to clients; here the storage revision, as in kube-apiserver over etcd. */
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Time | null;
  /** Set when deletion was requested but finalizers (or graceful Pod deletion) hold the object. */
  deletionTimestamp?: Time | null;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface ListMeta {
  /** Deprecated; never set by kube-apiserver since 1.20. */
  selfLink?: string;
  resourceVersion?: string;
  /** Opaque token for the next page; empty on the last page. */
  continue?: string;
  /** An estimate of the items left after this page (only with limit and no field selector). */
  remainingItemCount?: number;
}

/** Every top-level API object: TypeMeta inline plus metadata. */
export interface KubernetesObject extends TypeMeta {
  metadata: ObjectMeta;
}

/** A list of T as the API serves it (PodList, ServiceList, …). */
export interface List<T> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  /** Non-empty for In/NotIn, empty for Exists/DoesNotExist. */
  values?: string[];
}

/** matchLabels and matchExpressions are ANDed; an empty selector matches everything, a null one nothing. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition: the standard condition shape of newer APIs (not Pod/Node conditions). */
export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime: Time;
  reason: string;
  message: string;
}

export interface StatusCause {
  /** Go field `Type`, serialized as "reason" (e.g. "FieldValueInvalid", "NamespaceTerminating"). */
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status: how every API error (and some successes, e.g. DELETE of a collection) is reported. */
export interface Status extends TypeMeta {
  metadata?: ListMeta;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** metav1.DeleteOptions.propagationPolicy. */
export const DELETION_PROPAGATIONS = ['Orphan', 'Background', 'Foreground'] as const;
export type DeletionPropagation = (typeof DELETION_PROPAGATIONS)[number];
