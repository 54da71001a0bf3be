/**
 * One ServingCluster definition for the cdk8s and Pulumi tests: node pools, a gateway, a
 * critical autoscaled model with a canary and a shadow, a GPU model on a host route, an
 * unrouted batch model. Both front ends build it from these functions, so their objects can be
 * compared.
 */
import { Chart } from 'cdk8s';
import { ServingCluster } from '../../lib/cdk8s';
import {
  ClusterRouting,
  Duration,
  InferenceClients,
  ModelRoute,
  NodePool,
  Priority,
  ScalingTarget,
  type AutoscalerOptions,
  type ClusterModelProps,
  type ServingClusterProps,
} from '../../lib/core';
import { MINIMAL_PROPS } from './fixtures';

/** The cluster's props. */
export function clusterProps(): ServingClusterProps {
  return {
    nodePools: [
      NodePool.cpu('general', { count: 6, cpu: '8', memory: '32Gi' }),
      NodePool.gpu('l4', { count: 2, cpu: '16', memory: '64Gi', gpus: 1 }),
    ],
    routing: ClusterRouting.gateway({ gatewayName: 'public', gatewayNamespace: 'gateway', hostnames: ['api.example.com'] }),
    capacity: { compareWithScheduler: false },
  };
}

/** The models, by id, in the order they are added. */
export function clusterModels(): Record<string, ClusterModelProps> {
  return {
    fraud: { ...MINIMAL_PROPS.torchserve(), resources: { cpu: '2', memory: '4Gi' }, priority: Priority.critical(), inferenceClients: InferenceClients.namespaces('payments') },
    'fraud-v8': { ...MINIMAL_PROPS.torchserve(), canary: { of: 'fraud', weight: 10 } },
    shadow: { ...MINIMAL_PROPS.torchserve(), mirror: { of: 'fraud', percent: 20 } },
    llm: { ...MINIMAL_PROPS.vllm(), route: ModelRoute.host('llm.example.com') },
    churn: { ...MINIMAL_PROPS.custom(), route: ModelRoute.none(), priority: Priority.batch(), monitoring: false },
  };
}

/** The autoscalers, by model id: fraud sized from a mean-latency SLO (so its alerts carry the objective). */
export function clusterAutoscalers(): Record<string, AutoscalerOptions> {
  return {
    fraud: { target: ScalingTarget.latencySlo({ mean: Duration.millis(100), peakRps: 200, serviceTime: Duration.millis(20) }), maxReplicas: 8 },
  };
}

/** The cluster in a cdk8s chart, as a user writes it. */
export function cdk8sCluster(chart: Chart, id = 'prod'): ServingCluster {
  const cluster = new ServingCluster(chart, id, clusterProps());
  const autoscalers = clusterAutoscalers();
  for (const [model, props] of Object.entries(clusterModels())) {
    const service = cluster.addModel(model, props);
    if (autoscalers[model]) service.autoscale(autoscalers[model]);
  }
  return cluster;
}
