import { ApiObject, JsonPatch } from 'cdk8s';
import { ModelService } from '../../lib/cdk8s';
import { Duration, ModelArtifact, Runtime, ValidationError, type KubeObject } from '../../lib/core';
import { expectValidObjects, MINIMAL_PROPS, synthChart } from '../support/fixtures';

const byKind = (manifests: KubeObject[], kind: string) => manifests.find((m) => m.kind === kind)!;
type PodTemplate = { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { env?: unknown[] }[] } } };

describe('escape hatches', () => {
  test('a JSON patch on the Deployment reaches the synthesized manifest, not the rendered objects', () => {
    let service!: ModelService;
    const manifests = synthChart((chart) => {
      service = new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
      service.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env/-', { name: 'OMP_NUM_THREADS', value: '2' }));
    });
    expectValidObjects(manifests);
    const env = (byKind(manifests, 'Deployment')['spec'] as PodTemplate).template.spec.containers[0]!.env!;
    expect(env[env.length - 1]).toEqual({ name: 'OMP_NUM_THREADS', value: '2' });
    expect(JSON.stringify(service.rendered.deployment)).not.toContain('OMP_NUM_THREADS');
  });

  test('every object is reachable as an ApiObject of its kind, and patching one changes only that one', () => {
    const kinds: Record<string, (s: ModelService) => ApiObject | undefined> = {
      ServiceAccount: (s) => s.serviceAccount,
      ConfigMap: (s) => s.configMap,
      Deployment: (s) => s.deployment,
      Service: (s) => s.service,
      PodDisruptionBudget: (s) => s.podDisruptionBudget,
      NetworkPolicy: (s) => s.networkPolicy,
    };
    for (const [kind, get] of Object.entries(kinds)) {
      const manifests = synthChart((chart) => {
        const object = get(new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve()))!;
        expect(object.kind).toBe(kind);
        expect(object.name).toBe(kind === 'ConfigMap' ? 'fraud-config' : 'fraud');
        object.metadata.addAnnotation('example.com/patched', 'yes');
      });
      expectValidObjects(manifests);
      const patched = manifests.filter((m) => m.metadata.annotations?.['example.com/patched'] === 'yes').map((m) => m.kind);
      expect(patched).toEqual([kind]);
    }
  });

  test('runtimes without config files have no ConfigMap', () => {
    for (const kind of ['triton', 'vllm', 'custom'] as const) {
      let service!: ModelService;
      const manifests = synthChart((chart) => {
        service = new ModelService(chart, 'm', MINIMAL_PROPS[kind]());
      });
      expect(service.configMap).toBeUndefined();
      expect(manifests.map((m) => m.kind)).not.toContain('ConfigMap');
    }
  });
});

describe('construct', () => {
  test('the id names every object, and the endpoint is the in-cluster URL of the HTTP port', () => {
    let service!: ModelService;
    const manifests = synthChart((chart) => {
      service = new ModelService(chart, 'fraud', { ...MINIMAL_PROPS.torchserve(), namespace: 'serving' });
    });
    expect(service.name).toBe('fraud');
    expect(manifests.map((m) => m.metadata.name)).toEqual(['fraud', 'fraud-config', 'fraud', 'fraud', 'fraud', 'fraud']);
    expect(manifests.every((m) => m.metadata.namespace === 'serving')).toBe(true);
    expect(service.endpoint).toBe('http://fraud.serving.svc.cluster.local:8080');
  });

  test('the endpoint follows each runtime\'s HTTP port; without a namespace it is the bare service name', () => {
    const endpoints: string[] = [];
    synthChart((chart) => {
      for (const kind of ['tfserving', 'triton', 'vllm', 'custom'] as const) endpoints.push(new ModelService(chart, kind, MINIMAL_PROPS[kind]()).endpoint);
    });
    expect(endpoints).toEqual(['http://tfserving:8501', 'http://triton:8000', 'http://vllm:8000', 'http://custom:8080']);
  });

  test('the budget is exposed and agrees with the Deployment', () => {
    let service!: ModelService;
    const manifests = synthChart((chart) => {
      service = new ModelService(chart, 'fraud', { ...MINIMAL_PROPS.torchserve(), modelLoadTime: Duration.minutes(4) });
    });
    expect(service.budget.modelLoadSeconds).toBe(240);
    expect((byKind(manifests, 'Deployment')['spec'] as { progressDeadlineSeconds: number }).progressDeadlineSeconds).toBe(service.budget.progressDeadlineSeconds);
    // Pull + download + load + startup period + readiness period + margin.
    expect(service.budget.progressDeadlineSeconds).toBe(300 + 300 + 240 + 10 + 5 + 60);
  });

  test('two services in one chart do not collide', () => {
    const manifests = synthChart((chart) => {
      new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
      new ModelService(chart, 'ranker', MINIMAL_PROPS.tfserving());
    });
    expectValidObjects(manifests);
    expect(new Set(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).size).toBe(manifests.length);
  });

  test('invalid props fail at construction, naming the construct path and every problem', () => {
    const construct = () =>
      synthChart((chart) => {
        new ModelService(chart, 'fraud', { runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar'), workers: 0, batchSize: 1.5 }), replicas: -1 });
      });
    expect(construct).toThrow(ValidationError);
    expect(construct).toThrow(/^3 problems in modelship props:\n {2}- serving\/fraud: replicas: got -1;.*\n {2}- serving\/fraud: runtime\.workers: got 0;.*\n {2}- serving\/fraud: runtime\.batchSize: got 1\.5;/);
  });
});
