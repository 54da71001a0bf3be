/**
 * Options of a ModelService's autoscaler: what it scales on ({@link ScalingTarget}), between how
 * many replicas, how fast (Kubernetes' `spec.behavior`, with its limits), and whether it may scale
 * to zero (KEDA only). Rendered by `renderAutoscaler` (render-autoscaler.ts).
 * @module
 */
import { Duration } from '../duration';
import type { ScalingTarget } from './scaling-target';

/** What runs the autoscaling. */
export enum AutoscalerEngine {
  /**
   * A plain autoscaling/v2 HorizontalPodAutoscaler. Runtime and GPU signals reach it as Pods
   * metrics through prometheus-adapter (rules in the report); it cannot scale to zero.
   */
  HPA = 'hpa',
  /**
   * A KEDA ScaledObject (keda.sh/v1alpha1): KEDA queries Prometheus itself and drives an HPA it
   * owns; the only engine that scales to zero.
   */
  KEDA = 'keda',
}

/** How the rate limits of one direction combine (`selectPolicy`). */
export enum PolicySelection {
  /** The policy that allows the biggest change. */
  MAX = 'Max',
  /** The policy that allows the smallest change. */
  MIN = 'Min',
  /** No scaling in this direction at all. */
  DISABLED = 'Disabled',
}

/**
 * One rate limit (`HPAScalingPolicy`): at most a number of pods, or a percentage of the replicas at
 * the start of the period, per period. Kubernetes requires a value > 0 and a period of 1–1800 s.
 */
export class ScalingRate {
  /** At most `count` pods added (or removed) per `period`. */
  public static pods(count: number, period: Duration): ScalingRate {
    return new ScalingRate('Pods', count, period);
  }

  /** At most `percent` % of the replicas at the start of `period` added (or removed) per `period`. */
  public static percent(percent: number, period: Duration): ScalingRate {
    return new ScalingRate('Percent', percent, period);
  }

  private constructor(
    /** `Pods` or `Percent`. */
    public readonly type: 'Pods' | 'Percent',
    /** Pods, or percent. */
    public readonly value: number,
    /** The period the limit holds over. */
    public readonly period: Duration,
  ) {}

  /** For messages: `ScalingRate.pods(4, 15 s)`. */
  public toString(): string {
    return `ScalingRate.${this.type === 'Pods' ? 'pods' : 'percent'}(${this.value}, ${this.period})`;
  }
}

/** How replicas are added. */
export interface ScaleUpOptions {
  /**
   * Only scale up to the lowest replica count recommended over this window
   * (`scaleUp.stabilizationWindowSeconds`, 0–3600 s). The default is Kubernetes' 0 s: pods that
   * are still loading count as serving nothing when the controller scales up, so they are not
   * double-counted, and a window only delays new capacity by up to its length. `npm run bench`
   * measured a window of the model load time against it (bench/results/autoscaling.md): on every
   * trace with any violation it raised the time in violation (1.4× to over 50×), for a few per cent
   * fewer replica-seconds. A longer window
   * trades latency for replica-seconds.
   * @default 0 - Kubernetes' default: scale up at the sync that recommends it
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Rate limits; replace Kubernetes' list when given.
   * @default - Kubernetes': ScalingRate.pods(4, Duration.seconds(15)) and ScalingRate.percent(100, Duration.seconds(15))
   */
  readonly policies?: ScalingRate[];
  /**
   * How the rate limits combine.
   * @default PolicySelection.MAX
   */
  readonly selectPolicy?: PolicySelection;
}

/** How replicas are removed. */
export interface ScaleDownOptions {
  /**
   * Only scale down to the highest replica count recommended over this window
   * (`scaleDown.stabilizationWindowSeconds`, 0–3600 s). The default waits at least as long as a
   * removed pod would take to come back, so a dip shorter than a cold start never costs one.
   * @default - the longer of Kubernetes' 300 s and the cold start (`budget.podReadySeconds`), at most 3600 s
   */
  readonly stabilizationWindow?: Duration;
  /**
   * Rate limits; replace Kubernetes' list when given.
   * @default - Kubernetes': ScalingRate.percent(100, Duration.seconds(15))
   */
  readonly policies?: ScalingRate[];
  /**
   * How the rate limits combine.
   * @default PolicySelection.MAX
   */
  readonly selectPolicy?: PolicySelection;
}

/**
 * A signal that shows demand while no pod runs. A server's own metrics vanish with its last pod,
 * so a service at zero replicas needs something else to wake it: KEDA scales from 0 to 1 while
 * this signal is active and lets the service go back to zero `idleAfter` after it (and every
 * other trigger) went inactive.
 */
export class ActivationSignal {
  /**
   * Active while the PromQL `query` is above `activationThreshold`: e.g. the request rate an
   * ingress controller or gateway sees for the service,
   * `sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))`. Its scaling
   * threshold is set so high that it never asks for more than one replica: it only wakes the
   * service and keeps it awake; the target sizes it.
   */
  public static prometheus(query: string, activationThreshold = 0): ActivationSignal {
    return new ActivationSignal('prometheus', { query, activationThreshold });
  }

  /**
   * Active from the cron expression `start` until `end` in `timezone` (an IANA name such as
   * `Europe/Berlin`), e.g. working hours; KEDA's cron scaler keeps one replica then.
   */
  public static schedule(timezone: string, start: string, end: string): ActivationSignal {
    return new ActivationSignal('cron', { timezone, start, end });
  }

  private constructor(
    /** The KEDA scaler: `prometheus` or `cron`. */
    public readonly scaler: 'prometheus' | 'cron',
    /** The scaler's settings as given. */
    public readonly settings: Readonly<Record<string, string | number>>,
  ) {}

  /** For messages and reports. */
  public toString(): string {
    return this.scaler === 'prometheus'
      ? `ActivationSignal.prometheus(${JSON.stringify(this.settings['query'])}, ${this.settings['activationThreshold']})`
      : `ActivationSignal.schedule(${JSON.stringify(this.settings['timezone'])}, ${JSON.stringify(this.settings['start'])}, ${JSON.stringify(this.settings['end'])})`;
  }
}

/** Scaling to zero replicas when idle (KEDA only). */
export interface ScaleToZeroOptions {
  /**
   * What wakes the service from zero and keeps it awake (the server's own metrics cannot: they
   * vanish with its last pod).
   */
  readonly activation: ActivationSignal;
  /**
   * How long every trigger must be inactive before the last replica goes (KEDA's
   * `cooldownPeriod`). The default is the cold start: idling as long as a restart costs bounds the
   * waste at twice the best choice in hindsight (the ski-rental argument).
   * @default - the cold start (`budget.podReadySeconds`)
   */
  readonly idleAfter?: Duration;
}

/** Options of `service.autoscale()`. */
export interface AutoscalerOptions {
  /** What the autoscaler measures and keeps at target, e.g. `ScalingTarget.runtimeQueue()`. */
  readonly target: ScalingTarget;
  /**
   * Fewest replicas (at least 1; use `scaleToZero` for zero).
   * @default - from the SLO sizing with `ScalingTarget.latencySlo`, else 2 (so a PodDisruptionBudget can let one go)
   */
  readonly minReplicas?: number;
  /**
   * Most replicas. Required unless the target is `ScalingTarget.latencySlo`, which sizes it.
   * @default - from the SLO sizing (required with any other target)
   */
  readonly maxReplicas?: number;
  /**
   * HorizontalPodAutoscaler or KEDA ScaledObject.
   * @default - AutoscalerEngine.KEDA with scaleToZero, else AutoscalerEngine.HPA
   */
  readonly engine?: AutoscalerEngine;
  /**
   * How replicas are added.
   * @default - Kubernetes': no window, its rate limits
   */
  readonly scaleUp?: ScaleUpOptions;
  /**
   * How replicas are removed.
   * @default - window: the longer of 300 s and the cold start; Kubernetes' rate limits
   */
  readonly scaleDown?: ScaleDownOptions;
  /**
   * Scale to zero when idle (KEDA only; the first request after idling waits for a cold start).
   * @default - never: at least minReplicas always run
   */
  readonly scaleToZero?: ScaleToZeroOptions;
  /**
   * The Prometheus KEDA queries (KEDA engine only; with the HPA engine prometheus-adapter
   * has its own).
   * @default "http://prometheus-operated.monitoring.svc:9090"
   */
  readonly prometheusUrl?: string;
}

/** The default {@link AutoscalerOptions.prometheusUrl}: the Service Prometheus Operator creates for a Prometheus in `monitoring`. */
export const DEFAULT_PROMETHEUS_URL = 'http://prometheus-operated.monitoring.svc:9090';
/** Replicas when neither the options nor an SLO sizing give `minReplicas`. */
export const DEFAULT_MIN_REPLICAS = 2;
