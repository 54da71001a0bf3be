import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AutoscalerReport, formatAutoscalerReport } from '../core/autoscaling/autoscaler-report';
import { renderAutoscaler, RenderedAutoscaler } from '../core/autoscaling/render-autoscaler';
import { AutoscalerProps, IScalableWorkload, workloadInNamespace } from '../core/autoscaling/scalable-workload';
import { Problems } from '../core/errors';
import { ReportFiles } from './report-files';

/** Renderings already made for props (by `ModelService.autoscale()`, which validates them under its own path). */
const RENDERED = new WeakMap<AutoscalerProps, RenderedAutoscaler>();

/** The file under `reports/` that holds the report of every autoscaler of an app. */
export const AUTOSCALING_REPORT_FILE = 'autoscaling.md';

/**
 * An autoscaler: a HorizontalPodAutoscaler (autoscaling/v2), or a KEDA ScaledObject when it
 * scales to zero, for any {@link IScalableWorkload}. `ModelService.autoscale()` creates one for
 * the service; create one yourself for a Deployment or StatefulSet you wrote
 * (`ScalableWorkload.deployment(...)`, or {@link scalableWorkloadOf} a cdk8s-plus workload or an
 * ApiObject):
 *
 * ```ts
 * new Autoscaler(chart, "scorer-autoscaler", {
 *   workload: scalableWorkloadOf(scorer, { modelLoadTime: Duration.seconds(90) }),
 *   target: ScalingTarget.cpuUtilization(70),
 *   maxReplicas: 8,
 * });
 * ```
 *
 * A workload without a namespace takes the chart's, as a ModelService does. Props are validated
 * when the construct is created. At synth, the report of every autoscaler of the app is written
 * to `reports/autoscaling.md` (in construct-path order).
 */
export class Autoscaler extends Construct {
  /** The HorizontalPodAutoscaler or ScaledObject, for JSON patches. */
  public readonly resource: ApiObject;
  /** What the autoscaler does and why: signal, thresholds, sizing, cold-start cost. */
  public readonly report: AutoscalerReport;

  /**
   * @internal An autoscaler whose props `rendered` is the rendering of, made by the caller to
   * validate them under its own prop paths (`ModelService.autoscale()`): not rendered again.
   */
  public static _fromRendering(scope: Construct, id: string, props: AutoscalerProps, rendered: RenderedAutoscaler): Autoscaler {
    RENDERED.set(props, rendered);
    return new Autoscaler(scope, id, props);
  }

  public constructor(scope: Construct, id: string, props: AutoscalerProps) {
    super(scope, id);
    const { workload, name, ...options } = (typeof props === 'object' && props !== null ? props : {}) as AutoscalerProps;
    const problems = new Problems(this.node.path);
    const rendered = RENDERED.get(props) ?? renderAutoscaler(inChartNamespace(this, workload, problems), options, problems, name === undefined ? {} : { name });
    this.report = rendered.report;
    this.resource = new ApiObject(this, rendered.autoscaler.kind, rendered.autoscaler);
    const reports = ReportFiles.of(this);
    if (!reports.fileNames.includes(AUTOSCALING_REPORT_FILE)) {
      const app = App.of(this);
      reports.add(AUTOSCALING_REPORT_FILE, this.node.path, () => autoscalingReport(app));
    }
  }

  /** The report as markdown (one section of `reports/autoscaling.md`). */
  public get reportMarkdown(): string {
    return formatAutoscalerReport(this.report);
  }
}

/** The workload, in the chart's namespace when it names none (checked first: nothing else of it is read). */
function inChartNamespace(scope: IConstruct, workload: IScalableWorkload, problems: Problems): IScalableWorkload {
  if (typeof workload !== 'object' || workload === null || workload.namespace !== undefined) return workload;
  const namespace = Chart.of(scope).namespace;
  if (namespace === undefined) return workload;
  workload.validate?.(problems.at('workload'));
  problems.throwIfAny();
  return workloadInNamespace(workload, namespace);
}

/** `reports/autoscaling.md`: a summary table, then each autoscaler's report, in construct-path order. */
export function autoscalingReport(app: App): string {
  const autoscalers = app.node
    .findAll()
    .filter((c): c is Autoscaler => c instanceof Autoscaler)
    .sort((a, b) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0));
  const out = [
    '# Autoscaling',
    '',
    `What each of the ${autoscalers.length} autoscaler${autoscalers.length === 1 ? '' : 's'} of this app scales on and why, written by modelship at synth.`,
    '',
    '| construct | workload | engine | signal | target | replicas |',
    '| --- | --- | --- | --- | --- | --- |',
    ...autoscalers.map(({ node, report: r }) => {
      const replicas = `${r.coldStart ? '0 or ' : ''}${r.minReplicas}–${r.maxReplicas}`;
      return `| ${node.path} | ${r.workload} | ${r.engine === 'keda' ? 'KEDA' : 'HPA'} | \`${r.signal.target}\` | ${Number(r.threshold.value.toPrecision(4))} ${r.threshold.unit} | ${replicas} |`;
    }),
    '',
  ];
  for (const a of autoscalers) out.push(`## ${a.node.path}`, '', a.reportMarkdown);
  return `${out.join('\n').trimEnd()}\n`;
}
