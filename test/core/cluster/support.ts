/**
 * Shared helpers of the ServingCluster core tests: a cluster rendered from its props and models
 * exactly as a front end does (place each model, render it, autoscale it, then the cluster), and
 * strict validation of everything it emits (Gateway API and Prometheus Operator CRDs included).
 */
import {
  ClusterRouting,
  Problems,
  placeClusterModel,
  renderAutoscaler,
  renderModelService,
  renderServingCluster,
  renderServingClusterNamespace,
  type AutoscalerOptions,
  type ClusterModel,
  type ClusterModelProps,
  type KubeObject,
  type RenderedModelService,
  type RenderedServingCluster,
  type ServingClusterProps,
} from '../../../lib/core';
import { celProblems, registerCustomResourceSchemas } from '../../support/crd-schemas';
import { expectValidObjects, MINIMAL_PROPS } from '../../support/fixtures';

registerCustomResourceSchemas();

/** The cluster's path in messages. */
export const PATH = 'test/prod';

/** A gateway routing most tests use. */
export const GATEWAY = ClusterRouting.gateway({ gatewayName: 'public', gatewayNamespace: 'gateway' });

/** A TorchServe model from S3 (the minimal props), plus `extra`. */
export const torchServe = (extra: Partial<ClusterModelProps> = {}): ClusterModelProps => ({ ...MINIMAL_PROPS.torchserve(), ...extra });

/** What {@link renderCluster} returns: the cluster's objects and each model's. */
export interface RenderedClusterAndModels extends RenderedServingCluster {
  readonly services: Record<string, RenderedModelService>;
  /** Every object: the cluster's, then each model's (and its autoscaler). */
  readonly all: KubeObject[];
}

/** Renders a cluster named `prod` with `models` (in order), autoscaling those in `autoscale`, as a front end does. */
export function renderCluster(props: ServingClusterProps, models: Record<string, ClusterModelProps>, autoscale: Record<string, AutoscalerOptions> = {}): RenderedClusterAndModels {
  const namespace = renderServingClusterNamespace({ path: PATH, defaultName: 'prod' }, props);
  const services: Record<string, RenderedModelService> = {};
  const autoscalers: KubeObject[] = [];
  const placed: ClusterModel[] = Object.entries(models).map(([id, modelProps]) => {
    const path = `${PATH}/${id}`;
    const { props: serviceProps, placement } = placeClusterModel(namespace, props, path, id, modelProps);
    const rendered = renderModelService({ path, defaultName: id }, serviceProps);
    services[id] = rendered;
    const options = autoscale[id];
    const autoscaler = options ? renderAutoscaler(rendered, options, new Problems(path).at('autoscale')) : undefined;
    if (autoscaler) autoscalers.push(autoscaler.autoscaler);
    return { path, placement, rendered, props: modelProps, ...(autoscaler ? { autoscaler: autoscaler.report } : {}) };
  });
  const cluster = renderServingCluster({ path: PATH, defaultName: 'prod' }, props, placed);
  return { ...cluster, services, all: [...cluster.objects, ...Object.values(services).flatMap((s) => s.objects), ...autoscalers] };
}

/** Every object passes Pod Security, the strict schema (CRDs included) and the CRDs' CEL rules. */
export function expectValidCluster(rendered: RenderedClusterAndModels): void {
  expectValidObjects(rendered.all);
  for (const o of rendered.all) expect(celProblems(o)).toEqual([]);
}

/** The objects of `kind`. */
export const ofKind = (objects: readonly KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
/** An object's spec. */
export const specOf = <T = Record<string, unknown>>(o: KubeObject | undefined): T => o!['spec'] as T;
