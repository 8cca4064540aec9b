// One probe of one container instance, run as the kubelet's prober worker does
// (pkg/kubelet/prober/worker.go): nothing before initialDelaySeconds, then every periodSeconds;
// the reported result flips only after successThreshold / failureThreshold consecutive results.
// Readiness starts as failure, liveness as success, startup as unknown.
import type { ProbeResult } from './net-prober.js';
import type { Probe } from '../../api/types/core/v1.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeState = 'success' | 'failure' | 'unknown';

export interface ProbeWorkerOptions {
  readonly kind: ProbeKind;
  readonly probe: Probe;
  /** When the container started; initialDelaySeconds counts from here. */
  readonly startedAt: Date;
  readonly run: (timeoutMs: number) => Promise<ProbeResult>;
  /** Every individual result (the kubelet records an Unhealthy event per failure). */
  readonly onProbe?: (r: ProbeResult) => void;
  /** The thresholded result changed. */
  readonly onChange: (state: ProbeState, lastOutput: string) => void;
  /** Liveness/readiness wait for this (startup probe success) before probing. */
  readonly gate?: () => boolean;
}

export class ProbeWorker {
  readonly kind: ProbeKind;
  readonly #opts: ProbeWorkerOptions;
  #state: ProbeState;
  #run = 0;
  #lastRaw: 'success' | 'failure' | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #onHold = false;

  constructor(opts: ProbeWorkerOptions) {
    this.kind = opts.kind;
    this.#opts = opts;
    this.#state = opts.kind === 'readiness' ? 'failure' : opts.kind === 'liveness' ? 'success' : 'unknown';
  }

  get state(): ProbeState {
    return this.#state;
  }

  start(): void {
    const p = this.#opts.probe;
    const delayMs = Math.max(0, (p.initialDelaySeconds ?? 0) * 1000 - (Date.now() - this.#opts.startedAt.getTime()));
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    const p = this.#opts.probe;
    if (!this.#onHold && (this.#opts.gate?.() ?? true)) {
      const r = await this.#opts.run(Math.max(1, p.timeoutSeconds ?? 1) * 1000).catch((err: Error) => ({ result: 'failure' as const, output: err.message }));
      if (this.#stopped) return;
      this.#opts.onProbe?.(r);
      this.#record(r);
    }
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#tick(), Math.max(1, p.periodSeconds ?? 10) * 1000);
  }

  #record(r: ProbeResult): void {
    const p = this.#opts.probe;
    this.#run = this.#lastRaw === r.result ? this.#run + 1 : 1;
    this.#lastRaw = r.result;
    const needed = r.result === 'success' ? (p.successThreshold ?? 1) : (p.failureThreshold ?? 3);
    if (this.#run < needed || this.#state === r.result) return;
    this.#state = r.result;
    // A failed liveness or startup probe kills the container; stop probing this instance.
    if (r.result === 'failure' && this.kind !== 'readiness') this.#onHold = true;
    // A startup probe that succeeded is done for this instance.
    if (r.result === 'success' && this.kind === 'startup') this.stop();
    this.#opts.onChange(this.#state, r.output);
  }
}
