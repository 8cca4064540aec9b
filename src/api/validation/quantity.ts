// Just enough of resource.Quantity to compare and add quantities ("100m", "1.5Gi", "2e3"):
// values are held as exact BigInt nano-units, rounding sub-nano fractions up as upstream does.

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** Parses a quantity into nano-units; undefined when the text is not a quantity. */
export function parseQuantity(text: unknown): bigint | undefined {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY_RE.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole = '', frac = '', suffix = ''] = m;
  if (whole === '' && frac === '') return undefined;
  let digits = BigInt((whole || '0') + frac);
  let exp10 = -frac.length + 9; // nano-units
  let mult = 1n;
  if (suffix in BINARY) mult = BINARY[suffix]!;
  else if (suffix in DECIMAL_EXP) exp10 += DECIMAL_EXP[suffix]!;
  else exp10 += Number(suffix.slice(1));
  digits *= mult;
  let value: bigint;
  if (exp10 >= 0) value = digits * 10n ** BigInt(exp10);
  else {
    const div = 10n ** BigInt(-exp10);
    value = digits / div + (digits % div === 0n ? 0n : 1n);
  }
  return sign === '-' ? -value : value;
}
