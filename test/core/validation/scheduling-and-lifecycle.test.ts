import { Duration, InferenceClients, ModelArtifact, Runtime, Size, type Toleration } from '../../../lib/core';
import { MINIMAL_PROPS, podSpecOf, render } from '../../support/fixtures';
import { expectAccepted, expectProblems } from '../../support/problems';

const base = MINIMAL_PROPS.torchserve;

describe('tolerations', () => {
  test.each<[string, Toleration, [string, string, string][]]>([
    ['a value with Exists', { key: 'gpu', operator: 'Exists', value: 'a100' }, [['tolerations[0].value', '"a100"', 'expected no value with operator "Exists"']]],
    ['no key with Equal', { operator: 'Equal', value: 'x' }, [['tolerations[0].operator', '"Equal"', 'expected "Exists" when no key is given (a toleration of every taint)']]],
    ['no key and no operator', {}, [['tolerations[0].operator', 'nothing', 'expected "Exists" when no key is given (a toleration of every taint)']]],
    ['an unknown operator', { key: 'gpu', operator: 'In' as 'Equal' }, [['tolerations[0].operator', '"In"', 'expected "Exists" or "Equal"']]],
    ['an unknown effect', { key: 'gpu', operator: 'Exists', effect: 'NoRun' as 'NoSchedule' }, [['tolerations[0].effect', '"NoRun"', 'expected one of NoSchedule, PreferNoSchedule, NoExecute']]],
    ['tolerationSeconds without NoExecute', { key: 'gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }, [['tolerations[0].tolerationSeconds', '60', 'expected only with effect "NoExecute"']]],
    ['fractional tolerationSeconds', { key: 'gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1.5 }, [['tolerations[0].tolerationSeconds', '1.5', 'expected an integer at least 0']]],
    [
      'a bad key',
      { key: 'nvidia.com/gpu type', operator: 'Exists' },
      [['tolerations[0].key', '"nvidia.com/gpu type"', 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric']],
    ],
    [
      'a bad value',
      { key: 'pool', operator: 'Equal', value: 'gpu pool' },
      [['tolerations[0].value', '"gpu pool"', 'expected a label value: empty, or at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric']],
    ],
  ])('%s', (_why, toleration, expected) => {
    expectProblems({ ...base(), tolerations: [toleration] }, expected);
  });

  test('each toleration is reported at its own index', () => {
    expectProblems({ ...base(), tolerations: [{ key: 'ok', operator: 'Exists' }, { key: 'gpu', operator: 'Exists', value: 'x' }] }, [['tolerations[1].value', '"x"', 'expected no value with operator "Exists"']]);
  });

  test('valid tolerations are rendered after the accelerator\'s', () => {
    const tolerations: Toleration[] = [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
    expect(podSpecOf(render({ ...base(), tolerations })).tolerations).toEqual(tolerations);
  });
});

describe('inference clients', () => {
  test('a namespace that cannot exist', () => {
    expectProblems({ ...base(), inferenceClients: InferenceClients.namespaces('checkout', 'Web_Frontend') }, [
      ['inferenceClients.namespaces', '"Web_Frontend"', 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit'],
    ]);
  });

  test('no namespaces at all would admit every source (`from: []`)', () => {
    expectProblems({ ...base(), inferenceClients: InferenceClients.namespaces() }, [['inferenceClients', '[]', 'expected at least one namespace: an empty list would admit every source']]);
  });

  test('pod labels', () => {
    expectProblems({ ...base(), inferenceClients: InferenceClients.podsWithLabels({ 'app name': 'checkout' }) }, [
      ['inferenceClients.podLabels.app name', '"app name"', 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric'],
    ]);
  });
});

describe('startup budget overrides', () => {
  test('a startup probe that gives up before modelLoadTime', () => {
    expectProblems({ ...base(), modelLoadTime: Duration.minutes(5), startupProbe: { periodSeconds: 10, failureThreshold: 10 } }, [
      ['startupProbe.failureThreshold', '10', 'expected at least 31: (failureThreshold − 1) × periodSeconds (10) must cover modelLoadTime (300 s), because the kubelet probes once at start and kills the server at the last failure'],
    ]);
  });

  test('a longer period with the derived threshold still covers the budget', () => {
    // 300 s / 30 s = 10 periods after the first probe at start: 11 checks.
    const pod = podSpecOf(render({ ...base(), modelLoadTime: Duration.minutes(5), startupProbe: { periodSeconds: 30 } }));
    expect(pod.containers[0]!.startupProbe).toMatchObject({ periodSeconds: 30, failureThreshold: 11 });
  });

  test('a threshold alone, against the runtime\'s default load time (TorchServe: 2 minutes)', () => {
    // 12 × 10 s = 120 s, but the first of the 12 checks runs at start: only 110 s are covered.
    expectProblems({ ...base(), startupProbe: { failureThreshold: 12 } }, [
      ['startupProbe.failureThreshold', '12', 'expected at least 13: (failureThreshold − 1) × periodSeconds (10) must cover modelLoadTime (120 s), because the kubelet probes once at start and kills the server at the last failure'],
    ]);
    expectAccepted({ ...base(), startupProbe: { failureThreshold: 13 } });
  });

  test('out-of-range probe settings', () => {
    expectProblems({ ...base(), startupProbe: { periodSeconds: 0, failureThreshold: 2 ** 31 } }, [
      ['startupProbe.periodSeconds', '0', 'expected an integer from 1 to 3600'],
      ['startupProbe.failureThreshold', '2147483648', 'expected an integer from 1 to 2147483647'],
    ]);
  });

  test('a progress deadline below pull + download + load + one startup and one readiness period', () => {
    // TorchServe from S3 without a size: 300 s pull + 300 s download + 120 s load + 10 s startup period + 5 s readiness period = 735 s.
    expectProblems({ ...base(), progressDeadline: Duration.minutes(10) }, [
      ['progressDeadline', '10 minutes (600 s)', 'expected at least 735 s: image pull (300 s) + download (300 s) + modelLoadTime (120 s) + one startup and one readiness probe period (15 s), or rollouts of a healthy model are reported failed'],
    ]);
  });

  test('a progress deadline that covers pull + download + load + probe periods exactly is accepted; a second less is not', () => {
    expectAccepted({ ...base(), progressDeadline: Duration.seconds(735) });
    expectProblems({ ...base(), progressDeadline: Duration.seconds(734) }, [
      ['progressDeadline', '734 s', 'expected at least 735 s: image pull (300 s) + download (300 s) + modelLoadTime (120 s) + one startup and one readiness probe period (15 s), or rollouts of a healthy model are reported failed'],
    ]);
    // The old bound (pull + download + load, without the probe periods) is no longer enough.
    expectProblems({ ...base(), progressDeadline: Duration.seconds(720) }, [
      ['progressDeadline', '720 s', 'expected at least 735 s: image pull (300 s) + download (300 s) + modelLoadTime (120 s) + one startup and one readiness probe period (15 s), or rollouts of a healthy model are reported failed'],
    ]);
  });

  test('the startup period in the progress deadline follows startupProbe.periodSeconds', () => {
    // 300 + 300 + 120 + 30 s startup period + 5 s readiness period = 755 s.
    expectAccepted({ ...base(), startupProbe: { periodSeconds: 30 }, progressDeadline: Duration.seconds(755) });
    expectProblems({ ...base(), startupProbe: { periodSeconds: 30 }, progressDeadline: Duration.seconds(754) }, [
      [
        'progressDeadline',
        '754 s',
        'expected at least 755 s: image pull (300 s) + download (300 s) + modelLoadTime (120 s) + one startup and one readiness probe period (35 s), or rollouts of a healthy model are reported failed',
      ],
    ]);
  });

  test('a startup probe that covers modelLoadTime exactly is accepted; one failure less is not', () => {
    // (31 − 1) × 10 s = 300 s.
    expectAccepted({ ...base(), modelLoadTime: Duration.seconds(300), startupProbe: { periodSeconds: 10, failureThreshold: 31 } });
    expectProblems({ ...base(), modelLoadTime: Duration.seconds(300), startupProbe: { periodSeconds: 10, failureThreshold: 30 } }, [
      ['startupProbe.failureThreshold', '30', 'expected at least 31: (failureThreshold − 1) × periodSeconds (10) must cover modelLoadTime (300 s), because the kubelet probes once at start and kills the server at the last failure'],
    ]);
    expectAccepted({ ...base(), modelLoadTime: Duration.seconds(300), startupProbe: { periodSeconds: 1, failureThreshold: 301 } });
    expectProblems({ ...base(), modelLoadTime: Duration.seconds(300), startupProbe: { periodSeconds: 1, failureThreshold: 300 } }, [
      ['startupProbe.failureThreshold', '300', 'expected at least 301: (failureThreshold − 1) × periodSeconds (1) must cover modelLoadTime (300 s), because the kubelet probes once at start and kills the server at the last failure'],
    ]);
  });

  test('a derived progress deadline the API server and await timers cannot hold', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { downloadTime: Duration.hours(1_000_000) });
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [
      [
        'progressDeadline',
        'nothing',
        // 300 s pull + 3600000000 s download + 120 s load + 10 s startup period + 5 s readiness period = 3600000435 s.
        'expected the derived deadline, 3600000435 s to become ready + 60 s = 3600000495 s, to be at most 2147483 s: declare shorter times',
      ],
    ]);
  });

  test('a model size so large the derived download exceeds any deadline', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { size: Size.gibibytes(100_000) });
    expect(() => render({ runtime: Runtime.torchServe({ model }) })).toThrow(/progressDeadline: got nothing; expected the derived deadline/);
  });

  test('durations out of range', () => {
    expectProblems({ ...base(), modelLoadTime: Duration.seconds(0), imagePullTime: Duration.hours(25), progressDeadline: Duration.seconds(0), terminationGracePeriod: Duration.seconds(-1) }, [
      ['modelLoadTime', '0 s', 'expected a Duration from 1 s to 86400 s'],
      ['imagePullTime', '25 hours (90000 s)', 'expected a Duration from 0 s to 86400 s'],
      ['progressDeadline', '0 s', 'expected a Duration from 1 s to 2147483 s'],
      ['terminationGracePeriod', '-1 s', 'expected a Duration from 1 s to 86400 s'],
    ]);
  });
});

describe('preStopDrain and terminationGracePeriod', () => {
  const DRAIN = (grace: number) => `expected less than terminationGracePeriod (${grace} s), leaving the server time to finish in-flight requests after the drain`;

  test('a drain equal to the grace period', () => {
    expectProblems({ ...base(), preStopDrain: Duration.seconds(60) }, [['preStopDrain', '60 s', DRAIN(60)]]);
  });

  test('a drain longer than the grace period', () => {
    expectProblems({ ...base(), preStopDrain: Duration.minutes(2), terminationGracePeriod: Duration.seconds(90) }, [['preStopDrain', '2 minutes (120 s)', DRAIN(90)]]);
  });

  test('a grace period shorter than the default drain (15 s)', () => {
    expectProblems({ ...base(), terminationGracePeriod: Duration.seconds(10) }, [['preStopDrain', '15 s', DRAIN(10)]]);
  });

  test('compared as rendered: 1.2 s of drain and 1.5 s of grace both become 2 s', () => {
    expectProblems({ ...base(), preStopDrain: Duration.millis(1200), terminationGracePeriod: Duration.millis(1500) }, [['preStopDrain', '1200 ms', DRAIN(2)]]);
  });

  test('a drain one second shorter is accepted, and renders as such', () => {
    const pod = podSpecOf(render({ ...base(), preStopDrain: Duration.seconds(29), terminationGracePeriod: Duration.seconds(30) }));
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.containers[0]!.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '29'] } } });
  });

  test('a zero drain disables the preStop hook', () => {
    const pod = podSpecOf(render({ ...base(), preStopDrain: Duration.seconds(0), terminationGracePeriod: Duration.seconds(1) }));
    expect(pod.containers[0]!.lifecycle).toBeUndefined();
  });
});
