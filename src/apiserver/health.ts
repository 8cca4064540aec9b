// /healthz, /livez and /readyz with the upstream text format (`[+]name ok`, `?verbose`,
// `?exclude=name`, and per-check paths like /readyz/etcd).

export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthResult {
  readonly code: number;
  readonly body: string;
}

export async function runHealthChecks(endpoint: string, checks: readonly HealthCheck[], subpath: string, q: URLSearchParams): Promise<HealthResult> {
  const excluded = new Set(q.getAll('exclude'));
  const selected = subpath ? checks.filter((c) => c.name === subpath) : checks.filter((c) => !excluded.has(c.name));
  if (subpath && selected.length === 0) return { code: 404, body: '404 page not found\n' };
  const lines: string[] = [];
  let failed = false;
  for (const c of selected) {
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (subpath) return { code: failed ? 500 : 200, body: failed ? `internal server error: ${subpath} check failed\n` : 'ok' };
  const verbose = q.has('verbose') || failed;
  if (!verbose) return { code: 200, body: 'ok' };
  for (const name of excluded) lines.push(`[+]${name} excluded: ok`);
  lines.push(failed ? `${endpoint} check failed` : `${endpoint} check passed`);
  return { code: failed ? 500 : 200, body: lines.join('\n') + '\n' };
}
