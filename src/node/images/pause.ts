// The `registry.k8s.io/pause` image's program (build/pause/linux/pause.c): it only waits.
// On SIGINT/SIGTERM it prints psignal's "Shutting down, got signal: Terminated" and exits 0.
// (pause.c also warns when it is not PID 1; in a Pod it always is, so we print no warning.)

const signalDescriptions = { SIGINT: 'Interrupt', SIGTERM: 'Terminated' } as const;

export function runPause(): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`Shutting down, got signal: ${signalDescriptions[sig]}\n`);
      process.exit(0);
    });
  }
  setInterval(() => undefined, 1 << 30);
}
