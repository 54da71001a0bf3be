/**
 * The example serving stack (examples/serving-stack.ts) as a cdk8s app: `cdk8s synth` writes
 * its manifests, image build contexts, bake file and reports (autoscaling, capacity) into
 * dist/, and the capacity planner's worked example (examples/capacity-worked-example.ts) as a
 * second chart. In your own app, import from "modelship" instead of "../../lib".
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageAssets, ServingCluster } from '../../lib';
import { workedExampleCluster, workedExampleModels } from '../capacity-worked-example';
import { servingAutoscalers, servingCluster, servingStack } from '../serving-stack';

/** The example stack as a chart, so tests can synthesize it without writing files. */
export class ServingChart extends Chart {
  /** The cluster of every model. */
  public readonly cluster: ServingCluster;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.cluster = new ServingCluster(this, 'cluster', servingCluster());
    const autoscalers = servingAutoscalers();
    for (const [name, props] of Object.entries(servingStack())) {
      const service = this.cluster.addModel(name, props);
      if (autoscalers[name]) service.autoscale(autoscalers[name]);
    }
  }
}

/** The capacity planner's worked example as a chart: ten small nodes, five models. */
export class WorkedExampleChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const cluster = new ServingCluster(this, 'cluster', workedExampleCluster());
    for (const [name, props] of Object.entries(workedExampleModels())) cluster.addModel(name, props);
  }
}

/** Runs when cdk8s executes this file (`cdk8s synth`), not when a test imports it. */
if (require.main === module) {
  const app = new App();
  // Also write dist/compose.yaml, to run the stack locally from the same images.
  ImageAssets.of(app).writeCompose = true;
  new ServingChart(app, 'serving');
  new WorkedExampleChart(app, 'capacity-worked-example');
  app.synth();
}
