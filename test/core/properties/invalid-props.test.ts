/**
 * Random valid props with exactly one field turned bad: rendering throws a ValidationError (never
 * a TypeError or anything else) that names that field and nothing unrelated.
 */
import fc from 'fast-check';
import {
  Accelerator,
  ArtifactCredentials,
  Duration,
  InferenceClients,
  ModelArtifact,
  ModelImage,
  PortRole,
  Runtime,
  ValidationError,
  VersionPolicy,
  type ModelServiceProps,
} from '../../../lib/core';
import { HF_REVISION, render } from '../../support/fixtures';
import { validationErrorOf } from '../../support/problems';
import { validProps } from './arbitraries';

/* eslint-disable @typescript-eslint/no-explicit-any -- bad values of the wrong type are the point */

interface Mutation {
  /** The prop a problem must be reported at (itself or below it). */
  readonly prop: string;
  /** Other props a problem may also name, because they depend on the mutated one. */
  readonly alsoAffects?: readonly string[];
  readonly values: readonly unknown[];
  readonly apply: (props: ModelServiceProps, value: unknown) => unknown;
}

const set = (key: string) => (props: ModelServiceProps, value: unknown) => ({ ...props, [key]: value });
const setResource = (key: string) => (props: ModelServiceProps, value: unknown) => ({ ...props, resources: { ...props.resources, [key]: value } });
/** Longer than any name the valid arbitraries generate, so it cannot collide with them. */
const ENV = 'MUTATED_VARIABLE_NAME_LONGER_THAN_GENERATED';
const image = ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2');

const MUTATIONS: Mutation[] = [
  { prop: 'name', values: ['Fraud', '1fraud', 'fraud_v2', 'fraud.v2', '', 'f'.repeat(64), 42], apply: set('name') },
  { prop: 'namespace', values: ['Prod', 'a.b', '-x', 'n'.repeat(64), 7], apply: set('namespace') },
  { prop: 'replicas', values: [-1, 1.5, '2', Number.NaN, 10_001], apply: set('replicas') },
  { prop: 'resources', values: ['big', 5, ['1']], apply: set('resources') },
  { prop: 'resources.cpu', values: ['2 cores', '0', '-1', 2, '', '1 ', null], apply: setResource('cpu') },
  { prop: 'resources.memory', values: ['4GB', '0Gi', '-4Gi', 4096, 'lots'], apply: setResource('memory') },
  { prop: 'resources.cpuLimit', values: ['1m', 'x', 0.5], apply: setResource('cpuLimit') },
  { prop: 'resources.memoryLimit', values: ['1Mi', '1Ki', 'x'], apply: setResource('memoryLimit') },
  {
    prop: 'accelerator',
    // vLLM's tensor parallelism follows the GPU count, and its default image needs a GPU, so a
    // bad accelerator may also unsettle them.
    alsoAffects: ['runtime.tensorParallelSize', 'runtime.image'],
    values: [{}, 'gpu', Accelerator.nvidiaGpu({ count: 0 }), Accelerator.nvidiaGpu({ count: 1.5 }), Accelerator.nvidiaGpu({ migProfile: '1g.1gb' }), Accelerator.nvidiaGpu({ product: 'A 10' }), Accelerator.nvidiaGpu({ tolerations: [{ operator: 'Bad' as any }] })],
    apply: set('accelerator'),
  },
  { prop: 'modelLoadTime', values: [Duration.seconds(0), 120, Duration.hours(25), Duration.seconds(Number.NaN), '2m'], apply: set('modelLoadTime') },
  { prop: 'imagePullTime', values: [Duration.hours(25), Duration.seconds(-1), '5m'], apply: set('imagePullTime') },
  { prop: 'progressDeadline', values: [Duration.seconds(0), 600, Duration.seconds(1), Duration.hours(1000)], apply: set('progressDeadline') },
  { prop: 'startupProbe', values: ['fast', { periodSeconds: 0 }, { failureThreshold: 0 }, { periodSeconds: 1.5 }, { periodSeconds: 3601 }, { failureThreshold: 2 ** 31 }], apply: set('startupProbe') },
  { prop: 'nodeSelector', values: ['gpu', { 'bad key': 'v' }, { ok: 'bad value!' }, { ok: 1 }], apply: set('nodeSelector') },
  {
    prop: 'tolerations',
    values: ['gpu', {}, [null], ['gpu'], [{ operator: 'Equal' }], [{ key: 'k', operator: 'Exists', value: 'v' }], [{ key: 'k', effect: 'Never' }], [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }], [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0.5 }]],
    apply: set('tolerations'),
  },
  { prop: 'spread', values: ['zones', {}, 1], apply: set('spread') },
  { prop: 'priorityClassName', values: ['High', 'a_b', 7, '', 'a..b'], apply: set('priorityClassName') },
  { prop: 'env', values: [{ '1X': 'v' }, { [ENV]: 1 }, ['A'], 'A=1', { '.': 'x' }, { '..x': 'x' }, { 'A B': 'x' }], apply: set('env') },
  { prop: 'secretEnv', values: ['x', { [ENV]: { secretName: 'Bad_Name', key: 'k' } }, { [ENV]: null }, { [ENV]: { secretName: 's', key: 'a/b' } }], apply: set('secretEnv') },
  { prop: 'labels', values: [{ 'app.kubernetes.io/name': 'x' }, { 'modelship.dev/runtime': 'x' }, { 'bad key': 'v' }, { k: 'bad value!' }, 'x', { k: 7 }], apply: set('labels') },
  { prop: 'serviceAccountAnnotations', values: [{ 'bad key': 'v' }, { 'a.b/c': 1 }, 'x'], apply: set('serviceAccountAnnotations') },
  { prop: 'inferenceClients', values: ['any', InferenceClients.namespaces(), InferenceClients.namespaces('Bad_NS'), InferenceClients.podsWithLabels({ 'bad key': 'x' })], apply: set('inferenceClients') },
  { prop: 'monitoringNamespace', values: ['Monitoring', 7, ''], apply: set('monitoringNamespace') },
  { prop: 'terminationGracePeriod', alsoAffects: ['preStopDrain'], values: [60, Duration.hours(25), Duration.seconds(0)], apply: set('terminationGracePeriod') },
  { prop: 'preStopDrain', values: [15, Duration.hours(2), Duration.seconds(-1), Duration.hours(25)], apply: set('preStopDrain') },
  { prop: 'maxSurge', values: [0, '25%', 1.5, 1001], apply: set('maxSurge') },
  { prop: 'runtime', values: ['torchserve', {}, undefined, null, { model: ModelArtifact.inImage() }], apply: set('runtime') },
  {
    prop: 'runtime',
    // Runtimes each with one bad option, nested artifacts included.
    values: [
      Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/') }),
      Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar'), workers: 0 }),
      Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar'), image: ModelImage.fromRegistry('pytorch/torchserve:latest') }),
      Runtime.torchServe({ model: ModelArtifact.fromHttps('https://models.example.com/fraud.mar', {} as any) }),
      Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar', { credentials: ArtifactCredentials.fromSecret('Bad_Name', { KEY: 'k' }) }) }),
      Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://models/ranker/'), versionLabels: { stable: 1 } }),
      Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://models/ranker/'), versionPolicy: VersionPolicy.specific([]) }),
      Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://models/ranker/'), batching: { maxBatchSize: 8, allowedBatchSizes: [4] } }),
      Runtime.triton({ model: ModelArtifact.fromS3('s3://models/model.onnx') }),
      Runtime.triton({ model: ModelArtifact.fromHuggingFace('acme/repo', { revision: HF_REVISION }) }),
      Runtime.vllm({ model: ModelArtifact.fromHuggingFace('acme/llm', { revision: 'main' }) }),
      Runtime.vllm({ model: ModelArtifact.inImage('/models/llm'), tensorParallelSize: 65 }),
      Runtime.vllm({ model: ModelArtifact.inImage('/models/llm'), gpuMemoryUtilization: 0 }),
      Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer') }),
      Runtime.custom({ image, ports: [{ name: 'inference-http-port', port: 8080 }] }),
      Runtime.custom({ image, ports: [{ name: 'http', port: 8080 }, { name: 'http', port: 8081, role: PortRole.METRICS }] }),
      Runtime.custom({ image, ports: [{ name: 'grpc', port: 9000, role: PortRole.GRPC }] }),
      Runtime.custom({ image, writablePaths: ['/tmp', '/tmp'] }),
      Runtime.custom({ image, model: ModelArtifact.fromPersistentVolumeClaim('m'), writablePaths: ['/mnt/models'] }),
    ],
    apply: set('runtime'),
  },
];

const under = (prop: string, prefix: string) => prop === prefix || prop.startsWith(`${prefix}.`) || prop.startsWith(`${prefix}[`);

test('one bad field: a ValidationError naming it, never a TypeError', () => {
  const mutation = fc.constantFrom(...MUTATIONS).chain((m) => fc.tuple(fc.constant(m), fc.constantFrom(...m.values)));
  fc.assert(
    fc.property(validProps(), mutation, ({ props }, [m, value]) => {
      const bad = m.apply(props, value);
      const problems = validationErrorOf(() => render(bad as ModelServiceProps, 'fraud')).problems;
      expect(problems.some((p) => under(p.prop, m.prop))).toBe(true);
      for (const p of problems) {
        expect([m.prop, ...(m.alsoAffects ?? [])].some((prefix) => under(p.prop, prefix)) ? p.prop : `unrelated: ${p.prop}`).toBe(p.prop);
        expect(p.construct).toBe('test/fraud');
        expect(typeof p.given).toBe('string');
        expect(p.allowed).toMatch(/^expected /);
      }
    }),
    { numRuns: 200 },
  );
});

test('every mutation value is refused on its own (each is really bad)', () => {
  // A fixed, minimal valid base: no mutation may pass by accident of the random props.
  const base: ModelServiceProps = { runtime: Runtime.custom({ image, model: ModelArtifact.inImage() }) };
  const accepted = MUTATIONS.flatMap((m) =>
    m.values.flatMap((value, i) => {
      try {
        render(m.apply(base, value) as ModelServiceProps);
        return [`${m.prop} #${i}`];
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return [];
      }
    }),
  );
  expect(accepted).toEqual([]);
});
