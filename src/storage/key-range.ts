// Key ordering shared by every driver. Keys sort by Unicode code point, which is the order of
// their UTF-8 bytes: SQLite's BINARY collation and etcd's byte-wise key order agree on it, while
// JavaScript's `<` (UTF-16 code units) does not for astral characters.

/**
 * The smallest key greater than every key that starts with `prefix`, or undefined when there is
 * none (empty prefix). Used as the exclusive upper end of a prefix range scan, as etcd's
 * clientv3.GetPrefixRangeEnd is.
 */
export function prefixEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    let next = codePoints.pop()!.codePointAt(0)! + 1;
    // Surrogate code points cannot appear in well-formed text; skip over them.
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return codePoints.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** Compare two keys in code point order (negative, 0, positive). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return surrogateLast(x) - surrogateLast(y);
  }
  return a.length - b.length;
}

// A surrogate unit starts an astral code point, which sorts after U+E000..U+FFFF.
function surrogateLast(unit: number): number {
  return unit >= 0xd800 && unit < 0xe000 ? unit + 0x10000 : unit;
}
