/** What the benchmark's parent and its worker processes exchange. Imports nothing from lib/. */

/** The timings every benchmark worker (bench/worker.ts, bench/pulumi-worker.ts) reports for one run of one mode. */
export interface TimedResult<M extends string> {
  readonly mode: M;
  readonly n: number;
  /** Wall time of the timed region. */
  readonly ms: number;
  /** CPU time (user + system, all threads) of the timed region. */
  readonly cpuMs: number;
  /** Peak resident set size of the whole process (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
  /** RSS after setup and a full GC, just before the timed region. */
  readonly rssBeforeBytes: number;
}

export type Mode = 'modelship' | 'apiobject' | 'json';
export const MODES: readonly Mode[] = ['modelship', 'apiobject', 'json'];

export interface WorkerResult extends TimedResult<Mode> {
  /** Wall time inside cdk8s's `Yaml.stringify` during `app.synth()` (synth modes only). */
  readonly yamlMs?: number;
  /** Kubernetes objects produced. */
  readonly objects: number;
  /** Bytes of output (the synthesized YAML, or the serialized JSON). */
  readonly outputBytes: number;
  /** SHA-256 of the output, so the parent can check both synth modes wrote identical manifests. */
  readonly outputSha256: string;
}
