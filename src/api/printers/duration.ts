// k8s.io/apimachinery/pkg/util/duration.HumanDuration and the printers' translateTimestampSince.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// Go's time.Time{} (year 1) marshals as this; metav1.Time.IsZero() is true for it.
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/**
 * HumanDuration: ~2-3 significant figures. Up to 2s in the future still prints "0s" (clock skew
 * tolerance); further in the future is "<invalid>". Go truncates toward zero with int(), as here.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.trunc(hours / 24 / 365);
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Parses a metav1.Time / MicroTime string; undefined when unset or Go's zero time. */
export function parseTimestamp(ts: string | null | undefined): number | undefined {
  if (ts === undefined || ts === null || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms === GO_ZERO_TIME_MS) return undefined;
  return ms;
}

/** translateTimestampSince (and translateMicroTimestampSince): "<unknown>" for a zero time. */
export function translateTimestampSince(ts: string | null | undefined, now: Date): string {
  const ms = parseTimestamp(ts);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now.getTime() - ms);
}
