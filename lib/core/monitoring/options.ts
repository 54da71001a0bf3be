/**
 * What a user can say about a model's monitoring: {@link ModelMonitoringOptions}.
 * @module
 */
import { Duration } from '../duration';

/** Which Prometheus Operator resource scrapes the model's server. */
export enum MonitorKind {
  /**
   * A ServiceMonitor: selects the model's Service by its labels and scrapes the named Service
   * port. The usual choice; series carry a `service` label.
   */
  SERVICE_MONITOR = 'ServiceMonitor',
  /**
   * A PodMonitor: selects the model's pods and scrapes the named container port. For a Prometheus
   * that selects only PodMonitors, or to scrape pods that are not (yet) endpoints of the Service.
   */
  POD_MONITOR = 'PodMonitor',
}

/**
 * The model's latency objective. Give `p99`, `mean` or both; each renders one alert.
 *
 * `p99` needs a latency histogram: TensorFlow Serving (`:tensorflow:serving:request_latency`) and
 * vLLM (`vllm:e2e_request_latency_seconds`) have one; TorchServe and Triton expose only cumulative
 * time counters, from which only the mean can be computed, so give them `mean`. A custom runtime
 * exposes no latency metric modelship knows, so it takes no objective.
 */
export interface ModelLatencyObjective {
  /**
   * The 99th percentile of request latency the model must keep.
   * @default - no p99 alert
   */
  readonly p99?: Duration;
  /**
   * The mean request latency the model must keep.
   * @default - no mean-latency alert
   */
  readonly mean?: Duration;
}

/** Thresholds of the alerts. */
export interface MonitoringAlertOptions {
  /**
   * The fraction of requests that must succeed (server errors count as failures; client errors
   * do not); below it for 5 minutes, `ModelErrorRatioHigh` fires. Only for runtimes that count
   * failed requests: TorchServe (`Requests5XX`), TensorFlow Serving (`:tensorflow:serving:request_count`
   * by `status`), Triton (`nv_inference_request_failure`) and vLLM (its HTTP server's
   * `http_requests_total` by `status="5xx"`).
   * @default 0.99
   */
  readonly availability?: number;
  /**
   * How long the queue must have grown (its trend, by `deriv`, over this window) while above
   * `queueLength` per replica, before `ModelQueueGrowing` fires: the autoscaler is not keeping up
   * (at its maximum, or pods pending).
   * @default Duration.minutes(10)
   */
  readonly queueGrowthWindow?: Duration;
  /**
   * Requests waiting (in flight, for TensorFlow Serving) per replica above which a growing queue
   * alerts. A custom runtime's queue alert renders only when this is given, since its metric's
   * unit is unknown.
   * @default - the runtime's default autoscaling queue target: 1 request waiting (TorchServe, Triton, vLLM), 4 in flight (TensorFlow Serving)
   */
  readonly queueLength?: number;
  /**
   * Restarts of one server container within an hour above which `ModelRestarting` fires.
   * @default 3
   */
  readonly restarts?: number;
  /**
   * Fraction of a GPU's framebuffer memory in use above which `ModelGpuMemoryHigh` fires (for 15
   * minutes). Only for models with an accelerator. vLLM reserves `gpuMemoryUtilization` (0.9 by
   * default) of it up front, so keep this above that.
   * @default 0.95
   */
  readonly gpuMemory?: number;
}

/** How a model is monitored: its scrape target, alert rules and Grafana dashboard. */
export interface ModelMonitoringOptions {
  /**
   * The resource that scrapes the model's server. A runtime without a metrics endpoint (a custom
   * runtime without `metricsPath`) gets no monitor, whatever the target.
   * @default MonitorKind.SERVICE_MONITOR
   */
  readonly target?: MonitorKind;
  /**
   * Labels the Prometheus resource selects monitors and rules by (its `serviceMonitorSelector`,
   * `podMonitorSelector` and `ruleSelector`), e.g. `{ release: "kube-prometheus-stack" }`.
   * @default {}
   */
  readonly prometheusLabels?: Record<string, string>;
  /**
   * How often Prometheus scrapes the server. 30 s is the Prometheus Operator's and
   * kube-prometheus-stack's own default, and every runtime here updates its request counters per
   * request, so a shorter interval only adds load; alert rates span at least four scrapes.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * The model's latency objective; without one no latency alert is rendered (the dashboard still
   * charts latency). ServingCluster fills it from the model's `ScalingTarget.latencySlo`
   * autoscaler when neither the cluster nor the model gives one, so alerts watch the number the
   * autoscaler sizes for.
   * @default - no latency alert
   */
  readonly latencyObjective?: ModelLatencyObjective;
  /**
   * Render a Grafana dashboard in a ConfigMap for Grafana's dashboard sidecar.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * The label Grafana's dashboard sidecar finds dashboard ConfigMaps by (kube-prometheus-stack's
   * `sidecar.dashboards.label` and `labelValue`).
   * @default { grafana_dashboard: "1" }
   */
  readonly dashboardLabel?: Record<string, string>;
  /**
   * The Grafana folder, written as the `grafana_folder` annotation the sidecar reads when its
   * `folderAnnotation` is set to that name.
   * @default - no annotation: the sidecar's default folder
   */
  readonly dashboardFolder?: string;
  /**
   * Alert thresholds.
   * @default - the defaults of each threshold
   */
  readonly alerts?: MonitoringAlertOptions;
}

/** @internal The documented defaults, in one place. */
export const MONITORING_DEFAULTS = {
  scrapeIntervalSeconds: 30,
  dashboardLabel: { grafana_dashboard: '1' } as Readonly<Record<string, string>>,
  availability: 0.99,
  queueGrowthWindowSeconds: 600,
  restarts: 3,
  gpuMemory: 0.95,
} as const;
