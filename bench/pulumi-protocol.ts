/** What the Pulumi benchmark's runner (bench/pulumi.ts) and its workers exchange. Imports nothing from lib/. */
import { TimedResult } from './protocol';

/**
 * `modelship`: N Pulumi ModelServices. `raw`: the same objects as typed resources registered
 * directly (the baseline). `component`: the same typed resources as children of a bare
 * ComponentResource per service that registers empty outputs, to tell the cost of being a Pulumi
 * component apart from modelship's own work.
 */
export type PulumiMode = 'modelship' | 'component' | 'raw' | 'modelship-lighter-start';
/**
 * Every mode starts its timed region holding the baselines' pre-rendered objects (see the
 * worker's `measure`); `modelship-lighter-start` is modelship without them, reported to show how
 * much peak RSS depends on the heap a run starts from.
 */
export const PULUMI_MODES: readonly PulumiMode[] = ['modelship', 'component', 'raw', 'modelship-lighter-start'];
/** The modes whose live heap is measured (`modelship-lighter-start` holds what `modelship` does, less the unused objects). */
export const LIVE_MODES: readonly PulumiMode[] = ['modelship', 'component', 'raw'];

export interface PulumiWorkerResult extends TimedResult<PulumiMode> {
  /** Wall time from the first constructor call until every registration was answered. */
  readonly ms: number;
  /** Resources registered (components included). */
  readonly registrations: number;
  /** Kubernetes resources registered. */
  readonly kubernetesResources: number;
}

/** The live heap of one mode (`live <mode> <n>`). */
export interface PulumiLiveResult {
  readonly mode: PulumiMode;
  readonly n: number;
  /** Heap used after a full GC once every registration is issued, minus the same before anything was rendered (so every mode's objects count). */
  readonly liveHeapBytes: number;
}
