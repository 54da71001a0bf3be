/**
 * The one startup budget: from `modelLoadTime` (and the image pull and artifact download) come
 * the startup probe and the rollout's progress deadline. These properties check that every layer
 * agrees for many values, and that overrides are accepted exactly when they cover the budget.
 */
import fc from 'fast-check';
import { ModelService } from '../../../lib/cdk8s';
import {
  Accelerator,
  Duration,
  ModelArtifact,
  ModelImage,
  PROGRESS_DEADLINE_MARGIN_SECONDS,
  READINESS_PROBE_PERIOD_SECONDS,
  Runtime,
  Size,
  startupBudget,
  STARTUP_PROBE_PERIOD_SECONDS,
  type KubeObject,
  type ModelServiceProps,
  type RenderedModelService,
} from '../../../lib/core';
import { HF_REVISION, podSpecOf, render, serverOf, synthChart } from '../../support/fixtures';
import { validationErrorOf } from '../../support/problems';

const RUNS = { numRuns: 150 };
const DAY = 24 * 3600;
const MiB = 2 ** 20;

/** Seconds, or milliseconds (to exercise rounding up to whole seconds). */
const duration = (minSeconds: number, maxSeconds: number): fc.Arbitrary<Duration> =>
  fc.oneof(
    fc.integer({ min: minSeconds, max: maxSeconds }).map((s) => Duration.seconds(s)),
    fc.integer({ min: Math.max(1, minSeconds * 1000), max: maxSeconds * 1000 }).map((ms) => Duration.millis(ms)),
    fc.integer({ min: Math.ceil(minSeconds / 60), max: Math.floor(maxSeconds / 60) }).map((m) => Duration.minutes(m)),
  );

/** An artifact and the download seconds its documented default budget implies. */
interface ArtifactCase {
  readonly label: string;
  readonly runtime: (model: ModelArtifact) => ModelServiceProps['runtime'];
  readonly model: ModelArtifact;
  readonly downloadSeconds: number;
}

const fetchOptions = fc.oneof(
  fc.constant({ options: {}, seconds: 300 }),
  fc.integer({ min: 1, max: DAY }).map((s) => ({ options: { downloadTime: Duration.seconds(s) }, seconds: s })),
  fc.integer({ min: 1, max: 4 * 1024 * 1024 }).map((mib) => ({ options: { size: Size.mebibytes(mib) }, seconds: Math.max(60, Math.ceil((mib * MiB) / (25 * MiB))) })),
);

const artifactCase: fc.Arbitrary<ArtifactCase> = fc.oneof(
  fetchOptions.map(({ options, seconds }) => ({ label: 's3', runtime: (model: ModelArtifact) => Runtime.torchServe({ model }), model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', options), downloadSeconds: seconds })),
  fetchOptions.map(({ options, seconds }) => ({ label: 'gs', runtime: (model: ModelArtifact) => Runtime.tensorflowServing({ model }), model: ModelArtifact.fromGcs('gs://models/ranker/', options), downloadSeconds: seconds })),
  fetchOptions.map(({ options, seconds }) => ({
    label: 'https',
    runtime: (model: ModelArtifact) => Runtime.triton({ model }),
    model: ModelArtifact.fromHttps('https://models.example.com/repo.tar.gz', { sha256: 'c'.repeat(64), ...options }),
    downloadSeconds: seconds,
  })),
  fetchOptions.map(({ options, seconds }) => ({
    label: 'huggingface',
    runtime: (model: ModelArtifact) => Runtime.vllm({ model }),
    model: ModelArtifact.fromHuggingFace('acme/llm', { revision: HF_REVISION, ...options }),
    downloadSeconds: seconds,
  })),
  fc.constant({ label: 'pvc', runtime: (model: ModelArtifact) => Runtime.triton({ model }), model: ModelArtifact.fromPersistentVolumeClaim('models'), downloadSeconds: 0 }),
  fc.constant({ label: 'in-image', runtime: (model: ModelArtifact) => Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), model }), model: ModelArtifact.inImage(), downloadSeconds: 0 }),
);

const deploymentSpec = (rendered: RenderedModelService) => rendered.deployment['spec'] as { progressDeadlineSeconds: number };

test('the readiness probe period in the budget is the rendered one: 5 s', () => {
  expect(READINESS_PROBE_PERIOD_SECONDS).toBe(5);
  expect(serverOf(render({ runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }) })).readinessProbe!.periodSeconds).toBe(READINESS_PROBE_PERIOD_SECONDS);
});

describe('the startup probe covers modelLoadTime', () => {
  test('derived: (failureThreshold − 1) × periodSeconds ≥ modelLoadTime (the first probe runs at start), with the smallest such threshold', () => {
    fc.assert(
      fc.property(duration(1, DAY), fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }), (modelLoadTime, periodSeconds) => {
        const props: ModelServiceProps = { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }), modelLoadTime, ...(periodSeconds ? { startupProbe: { periodSeconds } } : {}) };
        const rendered = render(props);
        const probe = serverOf(rendered).startupProbe!;
        const load = Math.ceil(modelLoadTime.toMilliseconds() / 1000);
        expect(probe.periodSeconds).toBe(periodSeconds ?? STARTUP_PROBE_PERIOD_SECONDS);
        expect(probe.failureThreshold).toBe(Math.ceil(load / probe.periodSeconds) + 1);
        // Every load takes at least a second, so one probe at start is never enough.
        expect(probe.failureThreshold).toBeGreaterThanOrEqual(2);
        expect((probe.failureThreshold - 1) * probe.periodSeconds).toBeGreaterThanOrEqual(load);
        // Not more than needed: one fewer failure would not cover the load.
        expect((probe.failureThreshold - 2) * probe.periodSeconds).toBeLessThan(load);
        // The budget object and the rendered probe are the same numbers.
        expect(rendered.budget.startupProbe).toEqual({ periodSeconds: probe.periodSeconds, failureThreshold: probe.failureThreshold });
        expect(rendered.budget.modelLoadSeconds).toBe(load);
      }),
      RUNS,
    );
  });

  test('explicit overrides are accepted exactly when they cover modelLoadTime', () => {
    const inputs = fc.tuple(fc.integer({ min: 1, max: DAY }), fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3600 }))).chain(([load, period]) =>
      // Thresholds anywhere, and right around the smallest one that covers the load.
      fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: -2, max: 2 }).map((d) => Math.max(1, Math.ceil(load / period) + 1 + d))).map((threshold) => [load, period, threshold] as const),
    );
    fc.assert(
      fc.property(inputs, ([load, periodSeconds, failureThreshold]) => {
        const props: ModelServiceProps = { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }), modelLoadTime: Duration.seconds(load), startupProbe: { periodSeconds, failureThreshold } };
        if (periodSeconds * (failureThreshold - 1) >= load) {
          expect(serverOf(render(props)).startupProbe).toMatchObject({ periodSeconds, failureThreshold });
        } else {
          const error = validationErrorOf(() => render(props));
          const needed = Math.ceil(load / periodSeconds) + 1;
          expect(error.problems).toEqual([
            {
              construct: 'test/fraud',
              prop: 'startupProbe.failureThreshold',
              given: String(failureThreshold),
              allowed: `expected at least ${needed}: (failureThreshold − 1) × periodSeconds (${periodSeconds}) must cover modelLoadTime (${load} s), because the kubelet probes once at start and kills the server at the last failure`,
            },
          ]);
        }
      }),
      RUNS,
    );
  });
});

describe('the progress deadline covers pull, download, load and the probe periods', () => {
  test('derived: progressDeadlineSeconds = imagePullTime + download + modelLoadTime + startup period + readiness period (5 s) + 60, for every kind of artifact', () => {
    fc.assert(
      fc.property(artifactCase, duration(1, DAY), fc.option(duration(0, DAY), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }), (artifact, modelLoadTime, imagePullTime, periodSeconds) => {
        const props: ModelServiceProps = {
          runtime: artifact.runtime(artifact.model),
          modelLoadTime,
          ...(imagePullTime ? { imagePullTime } : {}),
          ...(periodSeconds ? { startupProbe: { periodSeconds } } : {}),
          ...(artifact.label === 'huggingface' ? { accelerator: Accelerator.nvidiaGpu(), resources: { cpu: '4', memory: '32Gi' } } : {}),
        };
        const rendered = render(props);
        const pull = imagePullTime ? Math.ceil(imagePullTime.toMilliseconds() / 1000) : 300;
        const load = Math.ceil(modelLoadTime.toMilliseconds() / 1000);
        const period = periodSeconds ?? STARTUP_PROBE_PERIOD_SECONDS;
        const podReady = pull + artifact.downloadSeconds + load + period + 5;
        expect(rendered.budget).toMatchObject({ imagePullSeconds: pull, downloadSeconds: artifact.downloadSeconds, modelLoadSeconds: load, podReadySeconds: podReady });
        expect(deploymentSpec(rendered).progressDeadlineSeconds).toBe(podReady + PROGRESS_DEADLINE_MARGIN_SECONDS);
        expect(PROGRESS_DEADLINE_MARGIN_SECONDS).toBe(60);
        expect(rendered.budget.progressDeadlineSeconds).toBe(deploymentSpec(rendered).progressDeadlineSeconds);
        // The startup probe's last allowed check (at (failureThreshold − 1) × period after start),
        // after pull and download, plus one readiness period, fits inside the time to become ready.
        const server = serverOf(rendered);
        const probe = server.startupProbe!;
        expect(probe.periodSeconds).toBe(period);
        expect(rendered.budget.podReadySeconds).toBeGreaterThanOrEqual(pull + artifact.downloadSeconds + probe.periodSeconds * (probe.failureThreshold - 1) + server.readinessProbe!.periodSeconds);
        expect(Number.isInteger(deploymentSpec(rendered).progressDeadlineSeconds)).toBe(true);
      }),
      RUNS,
    );
  });

  test('an explicit progressDeadline is accepted exactly when it covers pull + download + load + one startup and one readiness period', () => {
    // Deadlines anywhere, and right around the boundary where off-by-one mistakes hide.
    const deadlineFor = (podReady: number) => fc.oneof(fc.integer({ min: 1, max: 3 * DAY }), fc.integer({ min: -2, max: 2 }).map((d) => podReady + d));
    const inputs = fc.tuple(fc.integer({ min: 1, max: DAY }), fc.integer({ min: 0, max: DAY })).chain(([load, pull]) => deadlineFor(pull + 300 + load + 10 + 5).map((deadline) => [load, pull, deadline] as const));
    fc.assert(
      fc.property(inputs, ([load, pull, deadline]) => {
        // TorchServe from S3 with no size: a 300 s download; default startup period 10 s, readiness period 5 s.
        const podReady = pull + 300 + load + 10 + 5;
        const props: ModelServiceProps = {
          runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar') }),
          modelLoadTime: Duration.seconds(load),
          imagePullTime: Duration.seconds(pull),
          progressDeadline: Duration.seconds(deadline),
        };
        if (deadline >= podReady) {
          expect(deploymentSpec(render(props)).progressDeadlineSeconds).toBe(deadline);
        } else {
          const error = validationErrorOf(() => render(props));
          expect(error.problems.map((p) => [p.prop, p.given])).toEqual([['progressDeadline', Duration.seconds(deadline).toString()]]);
          expect(error.problems[0]!.allowed).toBe(
            `expected at least ${podReady} s: image pull (${pull} s) + download (300 s) + modelLoadTime (${load} s) + one startup and one readiness probe period (15 s), or rollouts of a healthy model are reported failed`,
          );
        }
      }),
      RUNS,
    );
  });
});

describe('layers agree', () => {
  test('the cdk8s construct exposes the same budget it synthesizes', () => {
    fc.assert(
      fc.property(duration(1, 4 * 3600), fc.integer({ min: 0, max: 3600 }), (modelLoadTime, pull) => {
        let service: ModelService | undefined;
        const objects = synthChart((chart) => {
          service = new ModelService(chart, 'fraud', { runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar') }), modelLoadTime, imagePullTime: Duration.seconds(pull) });
        });
        const deployment = objects.find((o) => o.kind === 'Deployment') as KubeObject & { spec: { progressDeadlineSeconds: number; template: { spec: { containers: { startupProbe: unknown }[] } } } };
        expect(deployment.spec.progressDeadlineSeconds).toBe(service!.budget.progressDeadlineSeconds);
        expect(deployment.spec.template.spec.containers[0]!.startupProbe).toMatchObject(service!.budget.startupProbe);
        expect(service!.budget).toEqual(service!.rendered.budget);
      }),
      { numRuns: 40 },
    );
  });

  test('startupBudget (the function the front ends and autoscalers share) matches what the Deployment renders', () => {
    fc.assert(
      fc.property(duration(1, DAY), fc.integer({ min: 0, max: 10 * DAY }), duration(0, DAY), (modelLoadTime, downloadSeconds, imagePullTime) => {
        const budget = startupBudget({ modelLoadTime, downloadSeconds, imagePullTime });
        expect(budget.startupProbe.periodSeconds).toBe(STARTUP_PROBE_PERIOD_SECONDS);
        expect(budget.progressDeadlineSeconds).toBe(budget.imagePullSeconds + downloadSeconds + budget.modelLoadSeconds + STARTUP_PROBE_PERIOD_SECONDS + READINESS_PROBE_PERIOD_SECONDS + PROGRESS_DEADLINE_MARGIN_SECONDS);
        expect(budget.podReadySeconds).toBe(budget.imagePullSeconds + downloadSeconds + budget.modelLoadSeconds + STARTUP_PROBE_PERIOD_SECONDS + READINESS_PROBE_PERIOD_SECONDS);
        expect(budget.startupProbe.failureThreshold).toBe(Math.ceil(budget.modelLoadSeconds / STARTUP_PROBE_PERIOD_SECONDS) + 1);
        expect((budget.startupProbe.failureThreshold - 1) * budget.startupProbe.periodSeconds).toBeGreaterThanOrEqual(budget.modelLoadSeconds);
      }),
      RUNS,
    );
  });

  test('without a collector, startupBudget computes an overridden budget rather than throwing', () => {
    const budget = startupBudget({ modelLoadTime: Duration.minutes(10), downloadSeconds: 0, startupProbe: { failureThreshold: 1 }, progressDeadline: Duration.seconds(1) });
    expect(budget.startupProbe).toEqual({ periodSeconds: 10, failureThreshold: 1 });
    expect(budget.progressDeadlineSeconds).toBe(1);
  });

  test('the pod spec carries the same startup probe for every runtime\'s default budget', () => {
    const cases: [ModelServiceProps, number][] = [
      // ceil(default modelLoadTime / 10 s) + 1: 2, 3 and 10 minutes.
      [{ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar') }) }, 13],
      [{ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repo/') }) }, 19],
      [{ runtime: Runtime.vllm({ model: ModelArtifact.inImage('/models/llm') }), accelerator: Accelerator.nvidiaGpu(), resources: { memory: '16Gi' } }, 61],
    ];
    for (const [props, threshold] of cases) expect(podSpecOf(render(props)).containers[0]!.startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: threshold });
  });
});
