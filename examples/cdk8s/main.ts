/**
 * The example serving stack (examples/serving-stack.ts) as a cdk8s app: `cdk8s synth` writes
 * its manifests, image build contexts and bake file into dist/. In your own app, import from
 * "modelship" instead of "../../lib".
 */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageAssets, ModelService } from '../../lib';
import { NAMESPACE, NAMESPACE_LABELS, servingAutoscalers, servingStack } from '../serving-stack';

/** The example stack as a chart, so tests can synthesize it without writing files. */
export class ServingChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: NAMESPACE });

    const namespace = new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: NAMESPACE_LABELS },
    });
    // The chart stamps its namespace on every object; a Namespace itself is cluster-scoped.
    namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const autoscalers = servingAutoscalers();
    for (const [name, props] of Object.entries(servingStack())) {
      const service = new ModelService(this, name, props);
      if (autoscalers[name]) service.autoscale(autoscalers[name]);
    }
  }
}

/** Runs when cdk8s executes this file (`cdk8s synth`), not when a test imports it. */
if (require.main === module) {
  const app = new App();
  // Also write dist/compose.yaml, to run the stack locally from the same images.
  ImageAssets.of(app).writeCompose = true;
  new ServingChart(app, 'serving');
  app.synth();
}
