import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AutoscalerReport, formatAutoscalerReport } from '../core/autoscaling/autoscaler-report';
import { RenderedAutoscaler } from '../core/autoscaling/render-autoscaler';

/**
 * The autoscaler of a ModelService: a HorizontalPodAutoscaler (autoscaling/v2) or a KEDA
 * ScaledObject, created by {@link ModelService.autoscale}.
 */
export class Autoscaler extends Construct {
  /** The HorizontalPodAutoscaler or ScaledObject, for JSON patches. */
  public readonly resource: ApiObject;
  /** What the autoscaler does and why: signal, thresholds, sizing, cold-start cost. */
  public readonly report: AutoscalerReport;

  /** @internal Created by ModelService.autoscale(). */
  public constructor(scope: Construct, id: string, rendered: RenderedAutoscaler) {
    super(scope, id);
    this.report = rendered.report;
    this.resource = new ApiObject(this, rendered.autoscaler.kind, rendered.autoscaler);
  }

  /** The report as markdown. */
  public get reportMarkdown(): string {
    return formatAutoscalerReport(this.report);
  }
}
