// Namespace, ConfigMap, ServiceAccount and Lease printers: a name, one fact and the age.
import * as d from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type Printer } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const nameColumn = column('Name', 'string', d.metaName, { format: 'name' });
const ageColumn = column('Age', 'string', d.metaCreationTimestamp);

function age(obj: Obj, now: Date): string {
  return translateTimestampSince(obj?.metadata?.creationTimestamp, now);
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells: (ns: Obj, now: Date) => [ns?.metadata?.name ?? '', ns?.status?.phase ?? '', age(ns, now)],
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', d.configMapData), ageColumn],
  cells: (cm: Obj, now: Date) => [
    cm?.metadata?.name ?? '',
    Object.keys(cm?.data ?? {}).length + Object.keys(cm?.binaryData ?? {}).length,
    age(cm, now),
  ],
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', d.serviceAccountSecrets), ageColumn],
  cells: (sa: Obj, now: Date) => [sa?.metadata?.name ?? '', (sa?.secrets ?? []).length, age(sa, now)],
};

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', d.leaseSpecHolderIdentity), ageColumn],
  cells: (lease: Obj, now: Date) => [lease?.metadata?.name ?? '', lease?.spec?.holderIdentity ?? '', age(lease, now)],
};
