import * as pulumi from '@pulumi/pulumi';
import { formatAutoscalerReport, type AutoscalerReport } from '../core/autoscaling/autoscaler-report';
import type { RenderedAutoscaler } from '../core/autoscaling/render-autoscaler';
import type { KubeObject } from '../core/k8s-types';
import { planObject, registerKubernetesResources } from './kubernetes-resources';

/**
 * The autoscaler of a Pulumi ModelService: a HorizontalPodAutoscaler (autoscaling/v2), or a KEDA
 * ScaledObject when it scales to zero. Created by `ModelService` from its `autoscale` arg, as the child `<service>-autoscaler`, whose own child is the typed resource
 * `<service>-autoscaler-horizontalpodautoscaler` (or `-scaledobject`, a
 * `k8s.apiextensions.CustomResource`).
 */
export class Autoscaler extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'modelship:index:Autoscaler';

  /** The HorizontalPodAutoscaler or ScaledObject. */
  public readonly resource: pulumi.CustomResource;
  /** What the autoscaler does and why: signal, thresholds, sizing, cold-start cost (rendered like `rendered`). */
  public readonly report: AutoscalerReport;
  /** The rendered plain objects (without a namespace that was not known when the service was created; `resource` has it). */
  public readonly rendered: RenderedAutoscaler;

  /**
   * @param name the resource name, `<service>-autoscaler` when the ModelService creates it
   * @param rendered the core's rendering of the autoscaler (`renderAutoscaler`)
   * @param object the object to register, when it differs from `rendered.autoscaler`: the
   *   ModelService passes the autoscaler rendered again once a namespace from another resource
   *   is known (KEDA's queries name it)
   * @param opts resource options (the ModelService passes `parent`)
   */
  public constructor(name: string, rendered: RenderedAutoscaler, object: pulumi.Input<KubeObject> = rendered.autoscaler, opts: pulumi.ComponentResourceOptions = {}) {
    super(Autoscaler.TYPE, name, {}, opts);
    this.rendered = rendered;
    this.report = rendered.report;
    const plan = planObject(name, rendered.autoscaler);
    this.resource = registerKubernetesResources([{ ...plan, args: fieldsOf(rendered.autoscaler, object) }], { parent: this }).get(plan.name)!;
    this.registerOutputs({});
  }

  /** The report as markdown. */
  public get reportMarkdown(): string {
    return formatAutoscalerReport(this.report);
  }
}

/**
 * Resource args with the top-level fields of `object` (`apiVersion` and `kind` from `known`, the
 * rest from `object`, which may not be known yet): typed resources read their args' keys when
 * they are created.
 */
function fieldsOf(known: KubeObject, object: pulumi.Input<KubeObject>): pulumi.Inputs {
  if (object === known) return known;
  const later = pulumi.output(object);
  return Object.fromEntries(Object.keys(known).map((key) => [key, key === 'apiVersion' || key === 'kind' ? known[key] : later.apply((o) => o[key])]));
}
