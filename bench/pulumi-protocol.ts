/** What the Pulumi benchmark's runner (bench/pulumi.ts) and its workers exchange. Imports nothing from lib/. */

/**
 * `modelship`: N Pulumi ModelServices. `raw`: the same objects as typed resources registered
 * directly (the baseline). `component`: the same typed resources as children of a bare
 * ComponentResource per service that registers empty outputs, to tell the cost of being a Pulumi
 * component apart from modelship's own work.
 */
export type PulumiMode = 'modelship' | 'component' | 'raw';
export const PULUMI_MODES: readonly PulumiMode[] = ['modelship', 'component', 'raw'];

export interface PulumiWorkerResult {
  readonly mode: PulumiMode;
  readonly n: number;
  /** Wall time from the first constructor call until every registration was answered. */
  readonly ms: number;
  /** CPU time (user + system, all threads) of the same region. */
  readonly cpuMs: number;
  /** Peak resident set size of the whole process (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
  /** RSS after setup and a full GC, just before the timed region. */
  readonly rssBeforeBytes: number;
  /** Resources registered (components included). */
  readonly registrations: number;
  /** Kubernetes resources registered. */
  readonly kubernetesResources: number;
}
