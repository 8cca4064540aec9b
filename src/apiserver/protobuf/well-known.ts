// The apimachinery types whose JSON form is not an object of their protobuf fields: each mirrors the
// type's own MarshalJSON (metav1.Time, MicroTime, intstr.IntOrString, resource.Quantity,
// runtime.RawExtension, metav1.FieldsV1).
import { apiErrors } from '../../api/errors.js';

/** The fields a message had on the wire, already decoded to JS values. */
export type PresentFields = ReadonlyMap<string, unknown>;
type Converter = (fields: PresentFields, path: string) => unknown;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

function isoSeconds(seconds: number, path: string): string {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) throw apiErrors.badRequest(`protobuf: invalid timestamp at ${path}`);
  return d.toISOString().slice(0, 19);
}

// An unset metav1.Time is encoded as an empty message (Time.Marshal returns no bytes for the zero
// time), and the zero time marshals to JSON null; a set time always carries `seconds`, even 0.
const time: Converter = (f, path) => (f.size === 0 ? null : `${isoSeconds(Number(f.get('seconds') ?? 0), path)}Z`);

const microTime: Converter = (f, path) => {
  if (f.size === 0) return null;
  const micros = Math.floor(Number(f.get('nanos') ?? 0) / 1000);
  return `${isoSeconds(Number(f.get('seconds') ?? 0), path)}.${String(micros).padStart(6, '0')}Z`;
};

// intstr.Type 1 is String; anything else is Int.
const intOrString: Converter = (f) => (Number(f.get('type') ?? 0) === 1 ? String(f.get('strVal') ?? '') : Number(f.get('intVal') ?? 0));

// The zero Quantity prints as "0".
const quantity: Converter = (f) => {
  const s = f.get('string');
  return typeof s === 'string' && s !== '' ? s : '0';
};

/** Raw bytes that hold JSON (RawExtension, FieldsV1); nil marshals to null. */
function embeddedJson(field: string): Converter {
  return (f, path) => {
    const raw = f.get(field);
    if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
    const text = Buffer.from(raw).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw apiErrors.badRequest(`protobuf: ${path} holds an embedded object that is not JSON; only JSON raw extensions are supported`);
    }
  };
}

export const WELL_KNOWN: Readonly<Record<string, Converter>> = {
  [`${META}.Time`]: time,
  [`${META}.MicroTime`]: microTime,
  [`${META}.FieldsV1`]: embeddedJson('Raw'),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': intOrString,
  'k8s.io.apimachinery.pkg.api.resource.Quantity': quantity,
  'k8s.io.apimachinery.pkg.runtime.RawExtension': embeddedJson('raw'),
};
