import * as pulumi from '@pulumi/pulumi';
import { formatAutoscalerReport, type AutoscalerReport } from '../core/autoscaling/autoscaler-report';
import { renderAutoscaler, type RenderedAutoscaler } from '../core/autoscaling/render-autoscaler';
import { workloadInNamespace, type AutoscalerProps, type IScalableWorkload } from '../core/autoscaling/scalable-workload';
import { Problems } from '../core/errors';
import type { KubeObject } from '../core/k8s-types';
import { isDnsLabel, NAME_RULES } from '../core/names';
import { checkedNamespace } from './inputs';
import { planObject, registerKubernetesResources } from './kubernetes-resources';

/** Renderings already made for args (by `ModelService`, which validates them with its own props). */
const RENDERED = new WeakMap<AutoscalerArgs, RenderedAutoscaler>();

/** Args of a Pulumi {@link Autoscaler}: the core {@link AutoscalerProps}, with a namespace that may come from another resource. */
export interface AutoscalerArgs extends AutoscalerProps {
  /**
   * Namespace of the workload and the autoscaler, e.g. `namespace.metadata.name` of a
   * `k8s.core.v1.Namespace`; replaces the workload's.
   * @default - the workload's namespace
   */
  readonly namespace?: pulumi.Input<string>;
}

/**
 * An autoscaler as a Pulumi component: a HorizontalPodAutoscaler (autoscaling/v2), or a KEDA
 * ScaledObject when it scales to zero, for any {@link IScalableWorkload}: a ModelService (which
 * creates one as its child `<service>-autoscaler` from its `autoscale` arg), or a Deployment or
 * StatefulSet described with `ScalableWorkload`, the same objects the cdk8s `Autoscaler` synthesizes.
 *
 * ```ts
 * const scorer = new Autoscaler("scorer", {
 *   workload: ScalableWorkload.deployment({ name: "scorer", containers: [{ name: "server", requests: { cpu: "2" } }], modelLoadTime: Duration.seconds(90) }),
 *   namespace: ns.metadata.name,
 *   target: ScalingTarget.cpuUtilization(70),
 *   maxReplicas: 8,
 * });
 * export const autoscalingReport = scorer.reportMarkdown;
 * ```
 *
 * Its own child is the typed resource `<name>-horizontalpodautoscaler` (or `-scaledobject`, a
 * `k8s.apiextensions.CustomResource`). {@link Autoscaler.reportMarkdown} is the synth-time report
 * (signal, thresholds, SLO sizing, behaviour, cold-start cost), also registered as the output
 * `reportMarkdown`: export it from the stack, or write it to a file, as cdk8s writes
 * `reports/autoscaling.md`. Props are validated before anything is registered.
 */
export class Autoscaler extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'modelship:index:Autoscaler';

  /** The HorizontalPodAutoscaler or ScaledObject. */
  public readonly resource: pulumi.CustomResource;
  /**
   * What the autoscaler does and why: signal, thresholds, sizing, cold-start cost, as rendered
   * before a namespace from another resource is known ({@link Autoscaler.reportMarkdown} has it).
   */
  public readonly report: AutoscalerReport;
  /** The rendered plain objects (without a namespace that was not known when the autoscaler was created; `resource` has it). */
  public readonly rendered: RenderedAutoscaler;
  /** The report as markdown, with the namespace once known: the `reportMarkdown` output. */
  public readonly reportMarkdown: pulumi.Output<string>;

  /**
   * @internal An autoscaler whose args `rendered` is the rendering of (without a namespace that is
   * an Output), made by the caller to validate them with its own props (`ModelService`): not
   * rendered again.
   */
  public static _fromRendering(name: string, args: AutoscalerArgs, rendered: RenderedAutoscaler, opts: pulumi.ComponentResourceOptions = {}): Autoscaler {
    RENDERED.set(args, rendered);
    return new Autoscaler(name, args, opts);
  }

  /**
   * @param name the resource name; the prefix of its child's name
   * @param args the workload and the autoscaler's options
   * @param opts resource options; `provider`/`providers` reach the child
   */
  public constructor(name: string, args: AutoscalerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Rendering first: invalid props fail before anything is registered.
    const { namespace, workload, name: objectName, ...options } = (typeof args === 'object' && args !== null ? args : {}) as AutoscalerArgs;
    const ctx = objectName === undefined ? {} : { name: objectName };
    const rendered = RENDERED.get(args) ?? renderAutoscaler(typeof namespace === 'string' && typeof workload === 'object' && workload !== null ? withNamespace(workload, namespace, new Problems(name)) : workload, options, new Problems(name), ctx);
    super(Autoscaler.TYPE, name, {}, opts);
    this.rendered = rendered;
    this.report = rendered.report;
    // A namespace from another resource is rendered into the autoscaler (KEDA's queries filter on it) once known.
    const later = namespace === undefined || typeof namespace === 'string' ? undefined : checkedNamespace(name, namespace).apply((ns) => renderAutoscaler(workloadInNamespace(workload, ns), options, new Problems(name), ctx));
    const plan = planObject(name, rendered.autoscaler);
    const object = later ? later.apply((r) => r.autoscaler) : rendered.autoscaler;
    this.resource = registerKubernetesResources([{ ...plan, args: fieldsOf(rendered.autoscaler, object) }], { parent: this }).get(plan.name)!;
    this.reportMarkdown = later ? later.apply((r) => formatAutoscalerReport(r.report)) : pulumi.output(formatAutoscalerReport(rendered.report));
    this.registerOutputs({ reportMarkdown: this.reportMarkdown });
  }
}

/** The workload in a namespace given as a plain string, checked as the core checks names. */
function withNamespace(workload: IScalableWorkload, namespace: string, problems: Problems): IScalableWorkload {
  if (!isDnsLabel(namespace)) problems.add('namespace', namespace, NAME_RULES.label);
  workload.validate?.(problems.at('workload'));
  problems.throwIfAny();
  return workloadInNamespace(workload, namespace);
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
