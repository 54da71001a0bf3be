/**
 * Validates {@link AutoscalerOptions} and renders the autoscaler of a ModelService (or any
 * scalable workload): an autoscaling/v2 HorizontalPodAutoscaler, or a KEDA ScaledObject, plus the
 * synth-time report ({@link AutoscalerReport}).
 * @module
 */
import { isGpuResource } from '../accelerator';
import { Duration } from '../duration';
import { Problems } from '../errors';
import type { KubeObject } from '../k8s-types';
import type { RenderedModelService } from '../service/render';
import {
  ActivationSignal,
  AutoscalerEngine,
  DEFAULT_MIN_REPLICAS,
  DEFAULT_PROMETHEUS_URL,
  PolicySelection,
  ScalingRate,
  type AutoscalerOptions,
  type ScaleDownOptions,
  type ScaleUpOptions,
} from './autoscaler-props';
import { formatSeconds, type AutoscalerReport, type BehaviorReport, type SignalReport, type SimulationInputs, type ThresholdReport } from './autoscaler-report';
import type { HpaBehavior } from './scaling-rules';
import { DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS, DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS, MAX_PERIOD_SECONDS, MAX_STABILIZATION_WINDOW_SECONDS, type ScalingPolicy } from './scaling-rules';
import { serverModel, type LatencyObjective, type SimulatedMetric } from './load-model';
import { adapterRule, adapterRulesYaml, GPU_RECIPE, kedaQuery, runtimeSignals, type MetricRecipe, type PrometheusAdapterRule } from './runtime-signals';
import { ScalingTarget, ScalingTargetKind, type LatencySloOptions } from './scaling-target';
import { hintsOf, isRenderedModelService, scalableModelService, type IScalableWorkload } from './scalable-workload';
import { latencyFloorSeconds, MAX_SIZED_REPLICAS, replicasForObjective, SIZED_REPLICA_FLOOR, sizeForLatencySlo, type SloSizing } from './slo-sizing';

/** Where the autoscaler is rendered. */
export interface AutoscalerRenderContext {
  /**
   * Name of the HorizontalPodAutoscaler or ScaledObject.
   * @default - the workload's name
   */
  readonly name?: string;
}

/** The autoscaler's objects and report. */
export interface RenderedAutoscaler {
  /** The HorizontalPodAutoscaler or ScaledObject. */
  readonly autoscaler: KubeObject;
  /** Every object to apply (the autoscaler). */
  readonly objects: KubeObject[];
  /** What it does and why. */
  readonly report: AutoscalerReport;
}

/** KEDA's default `pollingInterval`, seconds. */
export const KEDA_POLLING_INTERVAL_SECONDS = 30;
/** The scaling threshold of an activation-only Prometheus trigger: high enough never to ask for a second replica. */
export const ACTIVATION_ONLY_THRESHOLD = '1000000000';

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Milli-precision, rounded down (a lower target never scales less) or, for a guard, up (it never fires early). */
function milli(value: number, up = false): number {
  return up ? Math.ceil(value * 1000 - 1e-6) : Math.floor(value * 1000 + 1e-6);
}

/** A Kubernetes quantity of a per-pod target at milli precision, rounded down (or up): `2`, `350m`. */
export function targetQuantity(value: number, roundUp = false): string {
  const m = milli(value, roundUp);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** A decimal string of a per-pod target for KEDA's `threshold` (milli precision). */
function decimal(value: number, roundUp = false): string {
  return String(milli(value, roundUp) / 1000);
}

function checkWindow(problems: Problems, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (!(value instanceof Duration && value.isValid() && value.toMilliseconds() <= MAX_STABILIZATION_WINDOW_SECONDS * 1000)) {
    problems.add(prop, value, `expected a Duration from 0 s to ${MAX_STABILIZATION_WINDOW_SECONDS} s (Kubernetes' limit on stabilizationWindowSeconds)`);
  }
}

function checkRules(problems: Problems, prop: 'scaleUp' | 'scaleDown', rules: ScaleUpOptions | ScaleDownOptions | undefined): void {
  if (rules === undefined) return;
  if (typeof rules !== 'object' || rules === null) {
    problems.add(prop, rules, `expected ${prop === 'scaleUp' ? 'ScaleUpOptions' : 'ScaleDownOptions'}`);
    return;
  }
  const p = problems.at(prop);
  checkWindow(p, 'stabilizationWindow', rules.stabilizationWindow);
  if (rules.selectPolicy !== undefined && !Object.values(PolicySelection).includes(rules.selectPolicy)) {
    p.add('selectPolicy', rules.selectPolicy, 'expected PolicySelection.MAX, PolicySelection.MIN or PolicySelection.DISABLED');
  }
  if (rules.policies === undefined) return;
  if (!Array.isArray(rules.policies) || rules.policies.length === 0) {
    p.add('policies', rules.policies, 'expected at least one ScalingRate (Kubernetes requires a policy in every rule given)');
    return;
  }
  rules.policies.forEach((rate: unknown, i) => {
    if (!(rate instanceof ScalingRate)) {
      p.add(`policies[${i}]`, rate, 'expected ScalingRate.pods(count, period) or ScalingRate.percent(percent, period)');
      return;
    }
    if (!(Number.isInteger(rate.value) && rate.value > 0 && rate.value <= 2 ** 31 - 1)) {
      p.add(`policies[${i}].value`, rate.value, `expected an integer greater than 0 (${rate.type === 'Pods' ? 'pods' : 'percent'} per period)`);
    }
    const ms = rate.period instanceof Duration && rate.period.isValid() ? rate.period.toMilliseconds() : NaN;
    if (!(ms >= 1000 && ms <= MAX_PERIOD_SECONDS * 1000)) {
      p.add(`policies[${i}].period`, rate.period, `expected a Duration from 1 s to ${MAX_PERIOD_SECONDS} s (Kubernetes' limit on periodSeconds)`);
    }
  });
}

function checkActivation(problems: Problems, activation: unknown): void {
  if (!(activation instanceof ActivationSignal)) {
    problems.add(
      'activation',
      activation,
      'expected ActivationSignal.prometheus(query) or ActivationSignal.schedule(timezone, start, end): the server\'s own metrics vanish with its last pod, so nothing else would scale it back up from zero',
    );
    return;
  }
  const s = activation.settings;
  if (activation.scaler === 'prometheus') {
    if (typeof s['query'] !== 'string' || s['query'].trim() === '') problems.add('activation', activation, 'expected a non-empty PromQL query');
    if (!(isFiniteNumber(s['activationThreshold']) && s['activationThreshold'] >= 0)) problems.add('activation', activation, 'expected an activation threshold of at least 0');
  } else {
    if (typeof s['timezone'] !== 'string' || !/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(s['timezone'])) problems.add('activation', activation, 'expected an IANA time zone such as "Europe/Berlin"');
    for (const key of ['start', 'end']) {
      const cron = s[key];
      if (typeof cron !== 'string' || cron.trim().split(/\s+/).length !== 5) problems.add('activation', activation, `expected ${key} as a cron expression of five fields, e.g. "0 8 * * 1-5"`);
    }
  }
}

/** Whether a container of the pods has a GPU (or a MIG slice). */
function requestsGpus(workload: IScalableWorkload): boolean {
  return workload.containers.some((c) => Object.keys(c.limits ?? {}).some(isGpuResource));
}

/** The containers without a request for `resource`: the HPA fails to compute utilization for their pods. */
function withoutRequest(workload: IScalableWorkload, resource: 'cpu' | 'memory'): string[] {
  return workload.containers.filter((c) => c.requests?.[resource] === undefined).map((c) => c.name);
}

interface Signal {
  /** What the per-pod value measures. */
  readonly recipe?: MetricRecipe;
  /** Resource metric (`cpu`/`memory`). */
  readonly resource?: 'cpu' | 'memory';
}

/** The recipe of the runtime's queue signal, recording a problem (about `given` at `prop`) when the runtime has none. */
function queueRecipe(problems: Problems, prop: string, given: unknown, workload: IScalableWorkload): MetricRecipe | undefined {
  const metric = workload.scalingMetric;
  if (!metric) {
    problems.add(prop, given, `expected a signal ${workload.description} exposes: it declares no scaling metric (${hintsOf(workload).scalingMetric}), so there is no queue to scale on`);
    return undefined;
  }
  if (!workload.metrics) {
    problems.add(prop, given, `expected a metrics endpoint: ${workload.description} declares the scaling metric ${metric} but no metrics path, so Prometheus cannot scrape it (${hintsOf(workload).metricsPath})`);
    return undefined;
  }
  return runtimeSignals(metric).queue;
}

/** The recipe of the runtime's request counter, recording a problem (about `given` at `prop`) when the runtime has none. */
function requestsRecipe(problems: Problems, prop: string, given: unknown, workload: IScalableWorkload): MetricRecipe | undefined {
  const metric = workload.scalingMetric;
  const recipe = metric ? runtimeSignals(metric).requests : undefined;
  if (!recipe || !workload.metrics) {
    problems.add(prop, given, `expected a request counter ${workload.description} exposes: it has none modelship knows; scale on ScalingTarget.runtimeQueue() (its scalingMetric) or ScalingTarget.cpuUtilization() instead`);
    return undefined;
  }
  return recipe;
}

/** Validates the latencySlo options; returns the sizing inputs when they are all valid. */
function checkSlo(problems: Problems, slo: LatencySloOptions | undefined): { objective: LatencyObjective; objectiveProp: 'p99' | 'mean'; serviceTimeSeconds: number; concurrency: number; queueGuard: boolean } | undefined {
  if (typeof slo !== 'object' || slo === null) {
    problems.add('', slo, 'expected LatencySloOptions with peakRps, p99 or mean, and serviceTime or throughputPerReplica');
    return undefined;
  }
  const before = problems.all.length;
  const duration = (prop: string, v: unknown): boolean => {
    if (v instanceof Duration && v.isValid() && v.toMilliseconds() > 0 && Number.isFinite(v.toMilliseconds())) return true;
    problems.add(prop, v, 'expected a Duration greater than 0');
    return false;
  };
  const rate = (prop: string, v: unknown, what: string): void => {
    if (v !== undefined && !(isFiniteNumber(v) && v > 0)) problems.add(prop, v, `expected ${what}: a finite number greater than 0`);
  };
  if (slo.p99 !== undefined && slo.mean !== undefined) problems.add('mean', slo.mean, 'expected only one objective: p99 or mean, not both');
  else if (slo.p99 === undefined && slo.mean === undefined) problems.add('p99', undefined, 'expected an objective: p99 or mean');
  else if (slo.p99 !== undefined) duration('p99', slo.p99);
  else duration('mean', slo.mean);
  if (slo.peakRps === undefined) problems.add('peakRps', undefined, 'expected the peak request rate (requests per second over all replicas)');
  rate('peakRps', slo.peakRps, 'requests per second');
  if (slo.serviceTime !== undefined && slo.throughputPerReplica !== undefined) problems.add('throughputPerReplica', slo.throughputPerReplica, 'expected only one of serviceTime and throughputPerReplica');
  else if (slo.serviceTime === undefined && slo.throughputPerReplica === undefined) problems.add('serviceTime', undefined, 'expected the service time of one request, or throughputPerReplica');
  else if (slo.serviceTime !== undefined) duration('serviceTime', slo.serviceTime);
  rate('throughputPerReplica', slo.throughputPerReplica, 'requests per second one replica completes at full load');
  const concurrency = slo.concurrencyPerReplica ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 100_000)) problems.add('concurrencyPerReplica', slo.concurrencyPerReplica, 'expected an integer from 1 to 100000');
  rate('offPeakRps', slo.offPeakRps, 'requests per second');
  if (isFiniteNumber(slo.offPeakRps) && isFiniteNumber(slo.peakRps) && slo.offPeakRps > slo.peakRps) problems.add('offPeakRps', slo.offPeakRps, `expected at most peakRps (${slo.peakRps})`);
  if (slo.headroom !== undefined && !(isFiniteNumber(slo.headroom) && slo.headroom >= 1)) problems.add('headroom', slo.headroom, 'expected a factor of at least 1');
  if (slo.queueGuard !== undefined && typeof slo.queueGuard !== 'boolean') problems.add('queueGuard', slo.queueGuard, 'expected true or false');
  if (problems.all.length > before) return undefined;
  const objectiveProp = slo.p99 !== undefined ? 'p99' : 'mean';
  const objective: LatencyObjective = { latencySeconds: slo[objectiveProp]!.toMilliseconds() / 1000, ...(objectiveProp === 'p99' ? { percentile: 0.99 } : {}) };
  const serviceTimeSeconds = slo.serviceTime !== undefined ? slo.serviceTime.toMilliseconds() / 1000 : concurrency / slo.throughputPerReplica!;
  return { objective, objectiveProp, serviceTimeSeconds, concurrency, queueGuard: slo.queueGuard === true };
}

/**
 * Validates the options against the service and renders its autoscaler: an autoscaling/v2
 * HorizontalPodAutoscaler targeting the Deployment, or with {@link AutoscalerEngine.KEDA} (implied
 * by `scaleToZero`) a keda.sh/v1alpha1 ScaledObject whose triggers query Prometheus for the
 * runtime's metric. Pods metrics of the HPA engine need prometheus-adapter rules: they are in the
 * report (`adapterRules`, `adapterConfig`), not emitted, because the adapter's configuration is
 * one ConfigMap owned by its installation.
 *
 * Defaults tied to the startup budget:
 * - scale-up window = 0 s, Kubernetes' own (deliberately not tied to the budget): pods still
 *   loading count as serving nothing when the controller scales up, so they are not double-counted
 *   without a window, and any window only delays capacity by up to its length. Measured by
 *   `npm run bench` (bench/results/autoscaling.md): a window of the model load time raised the time
 *   in violation of an SLO-sized autoscaler on every trace with any (1.4× to over 50×), for a few
 *   per cent fewer replica-seconds;
 * - scale-down window = max(300 s, `podReadySeconds`) (at most 3600 s): capacity is not removed
 *   for a dip shorter than it would take to bring it back;
 * - with scale to zero, KEDA's `cooldownPeriod` = `idleAfter` (default `podReadySeconds`) and
 *   `initialCooldownPeriod` = `podReadySeconds`, so the first pods are not removed while they load.
 *
 * The workload is an {@link IScalableWorkload} (a Deployment or StatefulSet described with
 * `ScalableWorkload`, or your own); a RenderedModelService is taken as is (through
 * `scalableModelService`). A workload with a `validate` method is checked first, its problems
 * under `workload`.
 *
 * Records every problem of the options in `problems` (prop paths relative to it); when there is
 * any, throws a `ValidationError` listing all problems recorded so far, the caller's included.
 */
export function renderAutoscaler(
  workload: IScalableWorkload | RenderedModelService,
  options: AutoscalerOptions,
  problems: Problems,
  ctx: AutoscalerRenderContext = {},
): RenderedAutoscaler {
  const service = isRenderedModelService(workload) ? scalableModelService(workload) : workload;
  if (typeof options !== 'object' || options === null) {
    problems.add('options', options, 'expected AutoscalerOptions with at least a target');
    problems.throwIfAny();
  }
  if (typeof service !== 'object' || service === null) {
    problems.add('workload', service, 'expected an IScalableWorkload, e.g. ScalableWorkload.deployment({...})');
    problems.throwIfAny();
  }
  const before = problems.all.length;
  service.validate?.(problems.at('workload'));
  // Nothing of a workload described wrongly can be read safely.
  if (problems.all.length > before) problems.throwIfAny();
  const { target } = options;
  const scaleToZero = options.scaleToZero;
  if (options.engine !== undefined && !Object.values(AutoscalerEngine).includes(options.engine)) {
    problems.add('engine', options.engine, 'expected AutoscalerEngine.HPA or AutoscalerEngine.KEDA');
  }
  const engine = options.engine ?? (scaleToZero !== undefined ? AutoscalerEngine.KEDA : AutoscalerEngine.HPA);

  // Scale to zero: KEDA only, with something that wakes the service.
  let idleAfterSeconds: number | undefined;
  if (scaleToZero !== undefined) {
    if (typeof scaleToZero !== 'object' || scaleToZero === null) {
      problems.add('scaleToZero', scaleToZero, 'expected ScaleToZeroOptions with an activation signal');
    } else {
      if (engine === AutoscalerEngine.HPA) {
        problems.add('engine', options.engine, 'expected AutoscalerEngine.KEDA with scaleToZero: a HorizontalPodAutoscaler cannot scale to zero (minReplicas must be at least 1 unless the alpha HPAScaleToZero feature gate is on)');
      }
      checkActivation(problems.at('scaleToZero'), scaleToZero.activation);
      const idle = scaleToZero.idleAfter;
      if (idle !== undefined && !(idle instanceof Duration && idle.isValid() && idle.toMilliseconds() >= 1000 && idle.toSeconds() <= 2 ** 31 - 1)) {
        problems.add('scaleToZero.idleAfter', idle, 'expected a Duration of at least 1 s');
      }
      idleAfterSeconds = idle instanceof Duration ? idle.toSeconds() : service.budget.podReadySeconds;
    }
  }

  // Replica bounds.
  const { minReplicas, maxReplicas } = options;
  if (minReplicas === 0) {
    problems.add('minReplicas', 0, engine === AutoscalerEngine.HPA
      ? 'expected at least 1: a HorizontalPodAutoscaler cannot scale to zero; set scaleToZero (with AutoscalerEngine.KEDA) to scale to zero when idle, minReplicas is then the floor while serving'
      : 'expected at least 1: set scaleToZero to scale to zero when idle; minReplicas is then the floor while serving');
  } else if (minReplicas !== undefined && !(Number.isInteger(minReplicas) && minReplicas >= 1 && minReplicas <= 2 ** 31 - 1)) {
    problems.add('minReplicas', minReplicas, 'expected an integer of at least 1');
  }
  const isSlo = target instanceof ScalingTarget && target.kind === ScalingTargetKind.LATENCY_SLO;
  if (maxReplicas === undefined) {
    if (!isSlo) problems.add('maxReplicas', undefined, 'expected the most replicas to run (required unless the target is ScalingTarget.latencySlo, which sizes it)');
  } else if (!(Number.isInteger(maxReplicas) && maxReplicas >= 1 && maxReplicas <= 2 ** 31 - 1)) {
    problems.add('maxReplicas', maxReplicas, 'expected an integer of at least 1');
  } else if (Number.isInteger(minReplicas) && minReplicas! > maxReplicas) {
    problems.add('maxReplicas', maxReplicas, `expected at least minReplicas (${minReplicas})`);
  } else if (minReplicas === undefined && !isSlo && maxReplicas < DEFAULT_MIN_REPLICAS) {
    problems.add('maxReplicas', maxReplicas, `expected at least minReplicas (by default ${DEFAULT_MIN_REPLICAS}); set minReplicas: 1 for a single replica`);
  }

  checkRules(problems, 'scaleUp', options.scaleUp);
  checkRules(problems, 'scaleDown', options.scaleDown);
  const prometheusUrl = options.prometheusUrl ?? DEFAULT_PROMETHEUS_URL;
  if (options.prometheusUrl !== undefined && !(typeof options.prometheusUrl === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(options.prometheusUrl))) {
    problems.add('prometheusUrl', options.prometheusUrl, 'expected an http(s) URL such as "http://prometheus-operated.monitoring.svc:9090"');
  }

  // The signal.
  let signal: Signal | undefined;
  let value: number | undefined;
  let sizing: SloSizing | undefined;
  let sloCapacity: { serviceTimeSeconds: number; concurrency: number } | undefined;
  let guard: { recipe: MetricRecipe; value: number } | undefined;
  if (!(target instanceof ScalingTarget)) {
    problems.add('target', target, 'expected a ScalingTarget, e.g. ScalingTarget.runtimeQueue() or ScalingTarget.cpuUtilization(70)');
  } else {
    switch (target.kind) {
      case ScalingTargetKind.CPU_UTILIZATION:
      case ScalingTargetKind.MEMORY_UTILIZATION: {
        const resource = target.kind === ScalingTargetKind.CPU_UTILIZATION ? 'cpu' : 'memory';
        if (!(Number.isInteger(target.value) && target.value! >= 1 && target.value! <= 2 ** 31 - 1)) {
          problems.add('target', target, `expected a ${resource} utilization target: an integer percentage of the pods' ${resource} request of at least 1`);
        }
        const missing = withoutRequest(service, resource);
        if (missing.length > 0) {
          problems.add('target', target, `expected every container of the pods to request ${resource}: utilization is a percentage of the request, and the HPA computes none for pods with a container without one (${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} none)`);
        }
        signal = { resource };
        value = target.value;
        break;
      }
      case ScalingTargetKind.GPU_UTILIZATION:
        if (!(isFiniteNumber(target.value) && target.value > 0 && target.value <= 100)) problems.add('target', target, 'expected a GPU utilization target: a percentage greater than 0 and at most 100');
        if (!requestsGpus(service)) problems.add('target', target, `expected pods with GPUs: the pods request none, so the DCGM exporter reports no utilization for them (${hintsOf(service).gpus})`);
        signal = { recipe: GPU_RECIPE };
        value = target.value;
        break;
      case ScalingTargetKind.RUNTIME_QUEUE: {
        if (target.value !== undefined && !(isFiniteNumber(target.value) && target.value >= 0.001)) problems.add('target', target, 'expected a per-pod target of at least 0.001');
        const recipe = queueRecipe(problems, 'target', target, service);
        signal = recipe && { recipe };
        value = target.value ?? (service.scalingMetric ? runtimeSignals(service.scalingMetric).defaultQueueTarget : undefined);
        break;
      }
      case ScalingTargetKind.REQUESTS_PER_SECOND: {
        if (!(isFiniteNumber(target.value) && target.value >= 0.001)) problems.add('target', target, 'expected requests per second per pod: at least 0.001');
        const recipe = requestsRecipe(problems, 'target', target, service);
        signal = recipe && { recipe };
        value = target.value;
        break;
      }
      case ScalingTargetKind.LATENCY_SLO: {
        const sloProblems = problems.at('target');
        const input = checkSlo(sloProblems, target.slo);
        if (!input) break;
        const recipe = requestsRecipe(problems, 'target', target, service);
        const guardRecipe = input.queueGuard ? queueRecipe(sloProblems, 'queueGuard', true, service) : undefined;
        if (guardRecipe && guardRecipe.signal === undefined) {
          sloProblems.add('queueGuard', true, `expected false: the custom scaling metric ${guardRecipe.series} has no known meaning, so no guard target can be computed for it`);
        }
        signal = recipe && { recipe };
        guard = guardRecipe && { recipe: guardRecipe, value: 0 };
        sloCapacity = { serviceTimeSeconds: input.serviceTimeSeconds, concurrency: input.concurrency };
        const model = serverModel(sloCapacity);
        const floor = latencyFloorSeconds(model, input.objective);
        const slo = target.slo!;
        const objectiveText = `${input.objectiveProp} objective of ${formatSeconds(input.objective.latencySeconds)}`;
        if (input.objective.latencySeconds <= floor) {
          sloProblems.add(
            input.objectiveProp,
            slo[input.objectiveProp],
            `expected more than ${formatSeconds(floor)}, the ${input.objectiveProp === 'p99' ? 'p99' : 'mean'} of the service time alone (${formatSeconds(input.serviceTimeSeconds)} mean${input.objectiveProp === 'p99' ? ', exponential: × ln 100' : ''}): no number of replicas can meet it`,
          );
          break;
        }
        const limit = isFiniteNumber(maxReplicas) && Number.isInteger(maxReplicas) && maxReplicas >= 1 ? maxReplicas : MAX_SIZED_REPLICAS;
        const n = replicasForObjective(model, input.objective, slo.peakRps, limit);
        if (n === undefined) {
          const needed = limit < MAX_SIZED_REPLICAS ? replicasForObjective(model, input.objective, slo.peakRps, MAX_SIZED_REPLICAS) : undefined;
          if (limit < MAX_SIZED_REPLICAS) {
            problems.add('maxReplicas', maxReplicas, `expected at least ${needed ?? `more than ${MAX_SIZED_REPLICAS}`}: the ${objectiveText} needs ${needed ?? `more than ${MAX_SIZED_REPLICAS}`} replicas at ${slo.peakRps} requests/s`);
          } else {
            sloProblems.add(input.objectiveProp, slo[input.objectiveProp], `expected an objective ${MAX_SIZED_REPLICAS} replicas can meet at ${slo.peakRps} requests/s`);
          }
          break;
        }
        if (problems.all.length > before) break;
        const sizedMax = maxReplicas ?? Math.max(SIZED_REPLICA_FLOOR, Math.ceil(n * (slo.headroom ?? 1) - 1e-9));
        if (minReplicas !== undefined && minReplicas > sizedMax) {
          problems.add('minReplicas', minReplicas, `expected at most maxReplicas (${sizedMax}, sized for the ${objectiveText} at ${slo.peakRps} requests/s)`);
          break;
        }
        sizing = sizeForLatencySlo({
          peakRps: slo.peakRps,
          serviceTimeSeconds: input.serviceTimeSeconds,
          concurrencyPerReplica: input.concurrency,
          objective: input.objective,
          ...(slo.offPeakRps === undefined ? {} : { offPeakRps: slo.offPeakRps }),
          ...(slo.headroom === undefined ? {} : { headroom: slo.headroom }),
          ...(guardRecipe?.signal === 'queueLength' || guardRecipe?.signal === 'inflight' ? { guard: guardRecipe.signal } : {}),
          ...(minReplicas === undefined ? {} : { minReplicas }),
          ...(maxReplicas === undefined ? {} : { maxReplicas }),
        });
        if (sizing.perPodTarget < 0.001) {
          sloProblems.add(input.objectiveProp, slo[input.objectiveProp], `expected an objective that leaves a per-pod target of at least 0.001 ${recipe!.unit}: the sized target is ${sizing.perPodTarget}`);
        }
        value = sizing.perPodTarget;
        if (guard && sizing.guard) guard = { recipe: guard.recipe, value: sizing.guard.perPodTarget };
        break;
      }
      default:
        problems.add('target', target, 'expected a ScalingTarget made by one of its factories');
    }
  }
  if (problems.all.length > before) problems.throwIfAny();

  const min = sizing?.minReplicas ?? minReplicas ?? DEFAULT_MIN_REPLICAS;
  const max = sizing?.maxReplicas ?? maxReplicas!;
  if (min > max) {
    problems.add('maxReplicas', max, `expected at least minReplicas (${min})`);
    problems.throwIfAny();
  }
  return build(service, options, ctx, { engine, signal: signal!, value: value!, guard, sizing, sloCapacity, min, max, idleAfterSeconds, prometheusUrl, target: target as ScalingTarget });
}

interface Resolved {
  readonly engine: AutoscalerEngine;
  readonly signal: Signal;
  readonly value: number;
  readonly guard: { readonly recipe: MetricRecipe; readonly value: number } | undefined;
  readonly sizing: SloSizing | undefined;
  readonly sloCapacity: { serviceTimeSeconds: number; concurrency: number } | undefined;
  readonly min: number;
  readonly max: number;
  readonly idleAfterSeconds: number | undefined;
  readonly prometheusUrl: string;
  readonly target: ScalingTarget;
}

function policiesOf(rates: ScalingRate[] | undefined, defaults: readonly ScalingPolicy[]): ScalingPolicy[] {
  return rates ? rates.map((r) => ({ type: r.type, value: r.value, periodSeconds: r.period.toSeconds() })) : defaults.map((p) => ({ ...p }));
}

function behaviorOf(service: IScalableWorkload, options: AutoscalerOptions): { behavior: HpaBehavior; up: BehaviorReport; down: BehaviorReport } {
  const { podReadySeconds } = service.budget;
  const upGiven = options.scaleUp?.stabilizationWindow;
  const downGiven = options.scaleDown?.stabilizationWindow;
  // Scale-up: Kubernetes' 0 s, not the model load time. Loading pods already count as serving
  // nothing when the controller scales up, so a window prevents no double-counting and only delays
  // capacity: bench/autoscaling.ts measured a load-time window at 1.4× to over 50× the time in violation.
  const upWindow = upGiven?.toSeconds() ?? DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS;
  const downWindow = downGiven?.toSeconds() ?? Math.min(MAX_STABILIZATION_WINDOW_SECONDS, Math.max(DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS, podReadySeconds));
  const up: BehaviorReport = {
    stabilizationWindowSeconds: upWindow,
    selectPolicy: options.scaleUp?.selectPolicy ?? PolicySelection.MAX,
    policies: policiesOf(options.scaleUp?.policies, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]),
    rule: upGiven
      ? 'given'
      : 'Kubernetes\' default (0 s): pods still loading count as serving nothing when the controller scales up, so none are double-counted, and a window would only delay capacity (measured: bench/results/autoscaling.md)',
  };
  const down: BehaviorReport = {
    stabilizationWindowSeconds: downWindow,
    selectPolicy: options.scaleDown?.selectPolicy ?? PolicySelection.MAX,
    policies: policiesOf(options.scaleDown?.policies, [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
    rule: downGiven
      ? 'given'
      : `the longer of Kubernetes' 300 s and the cold start (${podReadySeconds} s)${podReadySeconds > MAX_STABILIZATION_WINDOW_SECONDS ? `, capped at ${MAX_STABILIZATION_WINDOW_SECONDS} s` : ''}: capacity is not removed for a dip shorter than bringing it back takes`,
  };
  const rules = (b: BehaviorReport) => ({ stabilizationWindowSeconds: b.stabilizationWindowSeconds, selectPolicy: b.selectPolicy, policies: b.policies.map((p) => ({ ...p })) });
  return { behavior: { scaleUp: rules(up), scaleDown: rules(down) }, up, down };
}

function describeRecipe(recipe: MetricRecipe, service: IScalableWorkload): string {
  if (recipe === GPU_RECIPE) return 'GPU utilization per pod (DCGM exporter)';
  const series = recipe.signal === 'rps' ? recipe.series : service.scalingMetric;
  return `${recipe.unit} per pod, from ${service.description}'s ${series}`;
}

/** One Prometheus-backed metric to emit: the primary signal or the queue guard. */
interface Emitted {
  readonly recipe: MetricRecipe;
  readonly value: number;
  /** Round the target up (a guard) rather than down. */
  readonly roundUp: boolean;
}

function build(service: IScalableWorkload, options: AutoscalerOptions, ctx: AutoscalerRenderContext, r: Resolved): RenderedAutoscaler {
  const ref = service.scaleTargetRef;
  const name = ctx.name ?? ref.name;
  const { namespace, labels } = service;
  const metadata = { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels: { ...labels } } : {}) };
  const scaleTargetRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
  const { behavior, up, down } = behaviorOf(service, options);
  const keda = r.engine === AutoscalerEngine.KEDA;
  const target = String(r.target);
  const adapterRules: PrometheusAdapterRule[] = [];
  const requirements: string[] = [];
  const notes: string[] = [];
  const add = (...items: string[]): void => {
    for (const item of items) if (!requirements.includes(item)) requirements.push(item);
  };
  const scraped = 'Prometheus scraping the server\'s metrics endpoint with `namespace` and `pod` labels on every series (a ServiceMonitor or PodMonitor of Prometheus Operator adds them)';
  const dcgm = 'the NVIDIA DCGM exporter with its Kubernetes pod mapping, scraped by Prometheus (series labelled `exported_namespace`/`exported_pod`, as with its Helm chart\'s ServiceMonitor and `honorLabels: false`)';
  const prometheus = `Prometheus at ${r.prometheusUrl}, reachable from KEDA`;
  if (keda) add('KEDA (its operator and metrics API server)');

  // The metrics (HPA) or triggers (KEDA), with a report entry for each.
  const entries: { spec: Record<string, unknown>; signal: SignalReport; threshold: ThresholdReport }[] = [];
  if (r.signal.resource) {
    const resource = r.signal.resource;
    const description = `${resource} use as a percentage of the pods' ${resource} request`;
    entries.push({
      spec: keda
        ? { type: resource, metricType: 'Utilization', metadata: { value: String(r.value) } }
        : { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: r.value } } },
      signal: { target, description, metric: resource, source: keda ? 'KEDA\'s resource scaler (metrics-server)' : 'metrics-server (Resource metric)' },
      threshold: { type: 'Utilization', value: r.value, unit: `% of the ${resource} request` },
    });
    add('metrics-server (the resource metrics API)');
  }
  const emitted: Emitted[] = [
    ...(r.signal.recipe ? [{ recipe: r.signal.recipe, value: r.value, roundUp: false }] : []),
    ...(r.guard ? [{ recipe: r.guard.recipe, value: r.guard.value, roundUp: true }] : []),
  ];
  for (const { recipe, value, roundUp } of emitted) {
    const threshold: ThresholdReport = { type: 'AverageValue', value: milli(value, roundUp) / 1000, unit: `${recipe.unit} per pod` };
    const description = describeRecipe(recipe, service);
    if (keda) {
      const query = kedaQuery(recipe, ref.name, namespace, service.podNamePattern);
      entries.push({
        spec: { type: 'prometheus', metricType: 'AverageValue', metadata: { serverAddress: r.prometheusUrl, query, threshold: decimal(value, roundUp) } },
        signal: { target, description, metric: 'prometheus', source: 'KEDA\'s Prometheus scaler (External metric, total ÷ replicas)', derivation: recipe.derivation, query },
        threshold,
      });
      add(prometheus, recipe === GPU_RECIPE ? dcgm : scraped);
    } else {
      entries.push({
        spec: { type: 'Pods', pods: { metric: { name: recipe.adapterName }, target: { type: 'AverageValue', averageValue: targetQuantity(value, roundUp) } } },
        signal: { target, description, metric: recipe.adapterName, source: 'prometheus-adapter (Pods metric)', derivation: recipe.derivation },
        threshold,
      });
      adapterRules.push(adapterRule(recipe));
      add(recipe === GPU_RECIPE ? dcgm : scraped, 'prometheus-adapter serving the custom metrics API (custom.metrics.k8s.io), with the rules below');
    }
  }
  if (keda && emitted.length > 0 && !namespace) notes.push(`The query matches pods named ${ref.name}-… in every namespace: give the workload a namespace to confine it.`);

  let autoscaler: KubeObject;
  if (!keda) {
    autoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: { scaleTargetRef, minReplicas: r.min, maxReplicas: r.max, metrics: entries.map((e) => e.spec), behavior },
    };
  } else {
    const triggers = entries.map((e) => e.spec);
    const zero = options.scaleToZero;
    if (zero) {
      const a = zero.activation;
      if (a.scaler === 'prometheus') {
        triggers.push({ type: 'prometheus', metricType: 'AverageValue', metadata: { serverAddress: r.prometheusUrl, query: String(a.settings['query']), threshold: ACTIVATION_ONLY_THRESHOLD, activationThreshold: String(a.settings['activationThreshold']) } });
        add(prometheus);
      } else {
        triggers.push({ type: 'cron', metadata: { timezone: String(a.settings['timezone']), start: String(a.settings['start']), end: String(a.settings['end']), desiredReplicas: '1' } });
      }
    }
    autoscaler = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata,
      spec: {
        scaleTargetRef,
        minReplicaCount: r.min,
        maxReplicaCount: r.max,
        ...(zero ? { idleReplicaCount: 0, cooldownPeriod: r.idleAfterSeconds, initialCooldownPeriod: service.budget.podReadySeconds } : {}),
        advanced: { horizontalPodAutoscalerConfig: { behavior } },
        triggers,
      },
    };
  }

  if (r.signal.recipe?.signal === 'rps') notes.push('A request counter counts completed requests: under overload it reads at most what the pods complete, so the HPA scales up but cannot see how far demand exceeds capacity.');
  if (emitted.some((e) => e.recipe.aggregation === 'rate')) notes.push('Rates are taken over 1 minute: scrape every 30 s or more often.');
  if (r.guard) notes.push('The queue guard is set at the largest per-pod value any replica count shows while it still meets the objective: it only adds replicas when the queue outgrows every compliant state (the model\'s assumptions failed); the request rate sizes the service.');
  const { budget } = service;
  const coldStart = options.scaleToZero
    ? {
        podReadySeconds: budget.podReadySeconds,
        imagePullSeconds: budget.imagePullSeconds,
        downloadSeconds: budget.downloadSeconds,
        modelLoadSeconds: budget.modelLoadSeconds,
        probeSeconds: budget.podReadySeconds - budget.imagePullSeconds - budget.downloadSeconds - budget.modelLoadSeconds,
        pollingIntervalSeconds: KEDA_POLLING_INTERVAL_SECONDS,
        idleAfterSeconds: r.idleAfterSeconds!,
        activation: String(options.scaleToZero.activation),
      }
    : undefined;
  if (coldStart) notes.push(`Scaling to zero: the first request after idling waits up to ${coldStart.pollingIntervalSeconds + coldStart.podReadySeconds} s (KEDA's ${coldStart.pollingIntervalSeconds} s polling + a ${coldStart.podReadySeconds} s cold start).`);

  let simulation: SimulationInputs | undefined;
  if (r.sizing && r.sloCapacity) {
    const simulated = (signal: 'rps' | 'queueLength' | 'inflight', value: number): SimulatedMetric =>
      keda && signal !== 'inflight'
        ? { type: 'External', signal, target: { type: 'AverageValue', averageValue: value } }
        : { type: 'Pods', signal, targetAverageValue: value };
    simulation = {
      capacity: { serviceTimeSeconds: r.sloCapacity.serviceTimeSeconds, concurrency: r.sloCapacity.concurrency },
      slo: r.sizing.objective,
      hpa: { minReplicas: r.min, maxReplicas: r.max, behavior },
      metrics: emitted.map((e) => simulated(e.recipe.signal!, milli(e.value, e.roundUp) / 1000)),
      modelLoadTimeSeconds: budget.podReadySeconds,
      initialReplicas: r.min,
    };
  }

  const [primary, guardEntry] = entries;
  const report: AutoscalerReport = {
    name,
    workload: `${ref.kind}/${ref.name}`,
    engine: r.engine,
    signal: primary!.signal,
    threshold: primary!.threshold,
    ...(guardEntry ? { guard: { signal: guardEntry.signal, threshold: guardEntry.threshold } } : {}),
    minReplicas: r.min,
    maxReplicas: r.max,
    scaleUp: up,
    scaleDown: down,
    ...(r.sizing ? { sizing: r.sizing } : {}),
    ...(coldStart ? { coldStart } : {}),
    requirements,
    adapterRules,
    ...(adapterRules.length ? { adapterConfig: adapterRulesYaml(adapterRules) } : {}),
    notes,
    ...(simulation ? { simulation } : {}),
  };
  return { autoscaler, objects: [autoscaler], report };
}
