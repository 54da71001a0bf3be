/**
 * The synth-time report of an autoscaler: what it scales on and why, as data and as markdown.
 * @module
 */
import type { AutoscalerEngine } from './autoscaler-props';
import type { HpaSpec } from './controller';
import type { LatencyObjective, ServiceCapacity, SimulatedMetric } from './load-model';
import type { PrometheusAdapterRule } from './runtime-signals';
import type { ScalingPolicy, SelectPolicy } from './scaling-rules';
import type { SloSizing } from './slo-sizing';

/** The signal and where it comes from. */
export interface SignalReport {
  /** The target as written, e.g. `ScalingTarget.runtimeQueue(1)`. */
  readonly target: string;
  /** What is measured, per pod. */
  readonly description: string;
  /** The metric the autoscaler reads: `cpu`, a Pods metric name, or the KEDA trigger type. */
  readonly metric: string;
  /** Who serves it: metrics-server, prometheus-adapter or KEDA. */
  readonly source: string;
  /** How the per-pod value is derived from the server's series, for Prometheus signals. */
  readonly derivation?: string;
  /** The PromQL KEDA runs (total over the pods), for KEDA Prometheus triggers. */
  readonly query?: string;
}

/** The per-pod value the autoscaler keeps. */
export interface ThresholdReport {
  /** `Utilization` (percent of the request) or `AverageValue` (per pod). */
  readonly type: 'Utilization' | 'AverageValue';
  /** The number written into the object. */
  readonly value: number;
  /** Its unit. */
  readonly unit: string;
}

/** One direction of `spec.behavior`, with the rule that chose the window. */
export interface BehaviorReport {
  /** `stabilizationWindowSeconds`. */
  readonly stabilizationWindowSeconds: number;
  /** `selectPolicy`. */
  readonly selectPolicy: SelectPolicy;
  /** `policies`. */
  readonly policies: readonly ScalingPolicy[];
  /** Why the window is what it is. */
  readonly rule: string;
}

/** What scaling to zero costs. */
export interface ColdStartReport {
  /** Seconds from pod creation to Ready in the worst accepted case (`budget.podReadySeconds`). */
  readonly podReadySeconds: number;
  /** Its parts: image pull, artifact download, model load, and one startup and one readiness probe period. */
  readonly imagePullSeconds: number;
  /** Artifact download, seconds. */
  readonly downloadSeconds: number;
  /** Model load, seconds. */
  readonly modelLoadSeconds: number;
  /** One startup and one readiness probe period, seconds. */
  readonly probeSeconds: number;
  /** KEDA's polling interval: the longest it takes to notice demand, seconds. */
  readonly pollingIntervalSeconds: number;
  /** KEDA's `cooldownPeriod`: idle time before the last replica goes, seconds. */
  readonly idleAfterSeconds: number;
  /** What wakes the service. */
  readonly activation: string;
}

/** Inputs for `simulateAutoscaling` matching a sized autoscaler (add a `trace`). */
export interface SimulationInputs {
  /** What one replica serves. */
  readonly capacity: ServiceCapacity;
  /** The objective. */
  readonly slo: LatencyObjective;
  /** min/max replicas and the emitted behaviour. */
  readonly hpa: HpaSpec;
  /** The emitted metric as the simulator models it. */
  readonly metrics: readonly SimulatedMetric[];
  /** Seconds from pod creation to Ready (`budget.podReadySeconds`, the worst accepted case). */
  readonly modelLoadTimeSeconds: number;
  /** Ready pods at the start: minReplicas. */
  readonly initialReplicas: number;
}

/** The synth-time report of one autoscaler. */
export interface AutoscalerReport {
  /** The HorizontalPodAutoscaler's or ScaledObject's name. */
  readonly name: string;
  /** The scaled workload, `Deployment/fraud`. */
  readonly workload: string;
  /** HPA or KEDA. */
  readonly engine: AutoscalerEngine;
  /** The signal. */
  readonly signal: SignalReport;
  /** The per-pod target. */
  readonly threshold: ThresholdReport;
  /** The runtime's queue as a guard next to the sized request rate (`latencySlo` with `queueGuard`). */
  readonly guard?: { readonly signal: SignalReport; readonly threshold: ThresholdReport };
  /** Fewest replicas while serving. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Scale-up behaviour. */
  readonly scaleUp: BehaviorReport;
  /** Scale-down behaviour. */
  readonly scaleDown: BehaviorReport;
  /** The SLO sizing, with `ScalingTarget.latencySlo`. */
  readonly sizing?: SloSizing;
  /** The cost of scaling to zero, with `scaleToZero`. */
  readonly coldStart?: ColdStartReport;
  /** What must already run in the cluster for the signal to be real. */
  readonly requirements: readonly string[];
  /** prometheus-adapter rules the HPA's Pods metric needs (none for metrics-server or KEDA signals). */
  readonly adapterRules: readonly PrometheusAdapterRule[];
  /** The same rules as a YAML fragment to merge into prometheus-adapter's `rules:`. */
  readonly adapterConfig?: string;
  /** Caveats. */
  readonly notes: readonly string[];
  /** Inputs to replay the sized autoscaler in `simulateAutoscaling`, with `ScalingTarget.latencySlo`. */
  readonly simulation?: SimulationInputs;
}

/** A number of seconds for people: `92.1 ms`, `2.5 s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  return seconds < 1 ? `${Number((seconds * 1000).toPrecision(4))} ms` : `${Number(seconds.toPrecision(4))} s`;
}

const num = (x: number): string => String(Number(x.toPrecision(4)));

function behaviorLine(direction: string, b: BehaviorReport): string {
  const policies = b.policies.map((p) => `${p.type === 'Pods' ? `${p.value} pods` : `${p.value} %`} per ${p.periodSeconds} s`).join(', ');
  return `| ${direction} | ${b.stabilizationWindowSeconds} s | ${b.selectPolicy} of ${policies} | ${b.rule} |`;
}

/** The report as markdown, for a synth summary or a README. */
export function formatAutoscalerReport(r: AutoscalerReport): string {
  const out: string[] = [];
  out.push(`### Autoscaler ${r.name} (${r.engine === 'keda' ? 'KEDA ScaledObject' : 'HorizontalPodAutoscaler'}) for ${r.workload}`, '');
  out.push(`- **Signal:** ${r.signal.description} — \`${r.signal.target}\`, read from ${r.signal.source} as \`${r.signal.metric}\``);
  if (r.signal.derivation) out.push(`- **Derivation:** ${r.signal.derivation}`);
  if (r.signal.query) out.push(`- **Query:** \`${r.signal.query}\``);
  out.push(`- **Target:** ${num(r.threshold.value)} ${r.threshold.unit} (${r.threshold.type})`);
  if (r.guard) out.push(`- **Queue guard:** ${r.guard.signal.description}, read as \`${r.guard.signal.query ?? r.guard.signal.metric}\`, at most ${num(r.guard.threshold.value)} ${r.guard.threshold.unit}`);
  out.push(`- **Replicas:** ${r.minReplicas}–${r.maxReplicas}${r.coldStart ? ', 0 when idle' : ''}`, '');
  out.push('| direction | stabilization window | rate limit | why |', '| --- | --- | --- | --- |', behaviorLine('up', r.scaleUp), behaviorLine('down', r.scaleDown), '');
  const s = r.sizing;
  if (s) {
    const stat = s.objective.percentile === undefined ? 'mean' : `p${Math.round(s.objective.percentile * 100)}`;
    out.push(`#### Sizing from the latency SLO (${s.model})`, '');
    out.push('| quantity | value |', '| --- | --- |');
    out.push(`| objective | ${stat} response time ≤ ${formatSeconds(s.objective.latencySeconds)} |`);
    out.push(`| peak load λ | ${num(s.peakRps)} requests/s |`);
    if (s.offPeakRps !== undefined) out.push(`| off-peak load | ${num(s.offPeakRps)} requests/s → ${s.offPeakReplicas} replicas |`);
    out.push(`| service time S (c per replica) | ${formatSeconds(s.serviceTimeSeconds)} (${s.concurrencyPerReplica}) → ${num(s.replicaCapacityRps)} requests/s per replica at saturation |`);
    out.push(`| floor: ${stat} of the service time alone | ${formatSeconds(s.latencyFloorSeconds)} |`);
    out.push(`| replicas needed at peak n | ${s.replicasAtPeak}: ρ = ${num(s.peak.utilization)}, P(wait) = ${num(s.peak.probabilityOfWait)}, mean wait ${formatSeconds(s.peak.meanWaitSeconds)}, ${stat} ${formatSeconds(s.peak.latencySeconds)} |`);
    out.push(`| same n, random routing (one queue per replica) | ${stat} ${formatSeconds(s.randomRoutingLatencySeconds)} |`);
    out.push(`| min / max replicas | ${s.minReplicas} / ${s.maxReplicas} (headroom × ${num(s.headroom)}) |`);
    out.push(`| per-pod target | ${num(s.perPodTarget)} requests/s: the objective holds at target × ${num(1 + s.tolerance)} (HPA tolerance) for every count from ${s.minReplicas} to ${s.maxReplicas}, tightest at ${s.bindingReplicas} |`);
    if (s.guard) out.push(`| queue guard (${s.guard.signal === 'queueLength' ? 'requests waiting' : 'requests in flight'} per pod) | ${num(s.guard.perPodTarget)}: the most any compliant count shows (at ${s.guard.bindingReplicas} replicas) |`);
    out.push(`| at peak the HPA settles at | ${s.settledReplicasAtPeak} replicas or more, ${stat} ${formatSeconds(s.settledLatencyAtPeakSeconds)} |`, '');
    out.push('Assumptions and limits:', '', ...s.assumptions.map((a) => `- ${a}`), '');
  }
  const c = r.coldStart;
  if (c) {
    const wait = c.pollingIntervalSeconds + c.podReadySeconds;
    out.push('#### Scale to zero', '');
    out.push(`After ${c.idleAfterSeconds} s without demand the last replica goes. The first request after that waits up to ${c.pollingIntervalSeconds} s for KEDA to notice (${c.activation}) plus the cold start of ${c.podReadySeconds} s (image pull ${c.imagePullSeconds} s + download ${c.downloadSeconds} s + model load ${c.modelLoadSeconds} s + probes ${c.probeSeconds} s): it waits up to ${wait} s in all${c.modelLoadSeconds > 0 ? `, ${num(wait / c.modelLoadSeconds)} × the model load time` : ''}. With no pod the Service has no endpoints, so clients must retry or something must hold their requests meanwhile.`, '');
  }
  out.push('#### Requires in the cluster', '', ...r.requirements.map((q) => `- ${q}`), '');
  if (r.adapterConfig) out.push('prometheus-adapter rules (merge into its `rules:`; Helm chart: `rules.custom`):', '', '```yaml', r.adapterConfig.trimEnd(), '```', '');
  if (r.notes.length) out.push('Notes:', '', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
