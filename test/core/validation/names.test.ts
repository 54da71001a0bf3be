import { Construct } from 'constructs';
import { ModelService } from '../../../lib/cdk8s';
import { ModelArtifact, ModelImage, Runtime, ValidationError } from '../../../lib/core';
import { MINIMAL_PROPS, synthChart } from '../../support/fixtures';
import { expectAccepted, expectProblems, validationErrorOf } from '../../support/problems';

// The wording is pinned here on purpose: these sentences are what users read.
const DNS1035 = 'expected a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
const DNS1123_LABEL = 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
const DNS1123_SUBDOMAIN = 'expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", starting and ending alphanumeric';
const FROM_ID = ' (the name defaults to the construct id; set props.name to keep the id)';
const LABEL_KEY = 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric';
const LABEL_VALUE = 'expected a label value: empty, or at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric';
const ENV_NAME = 'expected an environment variable name of letters, digits, "_", "-" and ".", not starting with a digit or "..", and not "."';

const base = MINIMAL_PROPS.torchserve;

describe('service name', () => {
  test('from the construct id: the cdk8s path of the construct is named', () => {
    const error = validationErrorOf(() => synthChart((chart) => new ModelService(chart, 'Fraud_Model', base())));
    expect(error.problems).toEqual([{ construct: 'serving/Fraud_Model', prop: 'name', given: '"Fraud_Model"', allowed: DNS1035 + FROM_ID }]);
  });

  test('from the construct id, nested: the full construct path is named', () => {
    const error = validationErrorOf(() =>
      synthChart((chart) => {
        new ModelService(new Construct(chart, 'team-a'), 'fraud.v2', base());
      }),
    );
    expect(error.problems).toEqual([{ construct: 'serving/team-a/fraud.v2', prop: 'name', given: '"fraud.v2"', allowed: DNS1035 + FROM_ID }]);
  });

  test('a bad construct id with a valid props.name is fine: the name wins', () => {
    const objects = synthChart((chart) => new ModelService(chart, 'Fraud_Model', { ...base(), name: 'fraud' }));
    expect(objects.map((o) => o.metadata.name)).toEqual(['fraud', 'fraud-config', 'fraud', 'fraud', 'fraud', 'fraud']);
  });

  test.each([
    ['starts with a digit (a DNS-1123 label, but Services need DNS-1035)', '1fraud'],
    ['uppercase', 'Fraud'],
    ['a dot', 'fraud.v2'],
    ['an underscore', 'fraud_v2'],
    ['a trailing dash', 'fraud-'],
    ['64 characters', `f${'a'.repeat(63)}`],
    ['empty', ''],
  ])('props.name with %s', (_why, name) => {
    expectProblems({ ...base(), name }, [['name', JSON.stringify(name), DNS1035]]);
  });

  test('63 characters is the longest accepted name', () => {
    expectAccepted({ ...base(), name: `f${'a'.repeat(62)}` });
  });
});

describe('namespace, monitoringNamespace and priorityClassName', () => {
  test.each([['Serving'], ['serving.prod'], ['-serving'], [`n${'s'.repeat(63)}`]])('namespace %j', (namespace) => {
    expectProblems({ ...base(), namespace }, [['namespace', JSON.stringify(namespace), DNS1123_LABEL]]);
  });

  test('a namespace may start with a digit (DNS-1123, unlike the service name)', () => {
    expectAccepted({ ...base(), namespace: '1serving' });
  });

  test('monitoringNamespace', () => {
    expectProblems({ ...base(), monitoringNamespace: 'Prometheus' }, [['monitoringNamespace', '"Prometheus"', DNS1123_LABEL]]);
  });

  test.each([['High_Priority'], ['high..priority'], ['high-priority.']])('priorityClassName %j', (priorityClassName) => {
    expectProblems({ ...base(), priorityClassName }, [['priorityClassName', JSON.stringify(priorityClassName), DNS1123_SUBDOMAIN]]);
  });

  test('a priorityClassName may contain dots (DNS-1123 subdomain)', () => {
    expectAccepted({ ...base(), priorityClassName: 'serving.high-priority' });
  });
});

describe('labels, node selectors and annotations', () => {
  test.each([
    ['app.kubernetes.io/name', 'other'],
    ['app.kubernetes.io/component', 'other'],
    ['app.kubernetes.io/managed-by', 'helm'],
    ['modelship.dev/runtime', 'triton'],
  ])('reserved label key %s', (key, value) => {
    expectProblems({ ...base(), labels: { [key]: value } }, [
      [
        `labels.${key}`,
        JSON.stringify(value),
        "expected a key other than app.kubernetes.io/name, app.kubernetes.io/component, app.kubernetes.io/managed-by, modelship.dev/runtime: modelship sets these to select the service's pods",
      ],
    ]);
  });

  test('other app.kubernetes.io labels are the user\'s', () => {
    expectAccepted({ ...base(), labels: { 'app.kubernetes.io/version': '7', 'app.kubernetes.io/part-of': 'fraud' } });
  });

  test('bad label keys and values', () => {
    expectProblems({ ...base(), labels: { 'team name': 'risk', team: 'risk analytics', 'Example.com/x': 'y', [`k${'e'.repeat(63)}`]: 'v' } }, [
      ['labels.team name', '"team name"', LABEL_KEY],
      ['labels.team', '"risk analytics"', LABEL_VALUE],
      ['labels.Example.com/x', '"Example.com/x"', LABEL_KEY],
      [`labels.k${'e'.repeat(63)}`, JSON.stringify(`k${'e'.repeat(63)}`), LABEL_KEY],
    ]);
  });

  test('node selector keys and values', () => {
    expectProblems({ ...base(), nodeSelector: { 'pool/': 'gpu', pool: '-gpu' } }, [
      ['nodeSelector.pool/', '"pool/"', LABEL_KEY],
      ['nodeSelector.pool', '"-gpu"', LABEL_VALUE],
    ]);
  });

  test('ServiceAccount annotation keys', () => {
    expectProblems({ ...base(), serviceAccountAnnotations: { 'eks.amazonaws.com/role arn': 'arn:aws:iam::1:role/r' } }, [
      ['serviceAccountAnnotations.eks.amazonaws.com/role arn', '"eks.amazonaws.com/role arn"', LABEL_KEY],
    ]);
  });
});

describe('environment variables', () => {
  test('env and secretEnv names', () => {
    expectProblems({ ...base(), env: { '1ST': 'x', 'A B': 'y', '.': 'z', '..': 'z', '..A': 'z' }, secretEnv: { 'TOKEN=': { secretName: 'api', key: 'token' } } }, [
      ['env.1ST', '"1ST"', ENV_NAME],
      ['env.A B', '"A B"', ENV_NAME],
      ['env..', '"."', ENV_NAME],
      ['env...', '".."', ENV_NAME],
      ['env...A', '"..A"', ENV_NAME],
      ['secretEnv.TOKEN=', '"TOKEN="', ENV_NAME],
    ]);
  });

  test('names with dots that Kubernetes accepts', () => {
    expectAccepted({ ...base(), env: { '.A': '1', 'a.b': '2', '-x': '3', '_': '4' } });
  });

  test('secretEnv references: Secret name and key', () => {
    expectProblems({ ...base(), secretEnv: { TOKEN: { secretName: 'Api_Keys', key: 'to/ken' } } }, [
      ['secretEnv.TOKEN.secretName', '"Api_Keys"', DNS1123_SUBDOMAIN],
      ['secretEnv.TOKEN.key', '"to/ken"', 'expected a Secret key of letters, digits, "-", "_" and "."'],
    ]);
  });

  test('a name in both env and secretEnv', () => {
    expectProblems({ ...base(), env: { TOKEN: 'x' }, secretEnv: { TOKEN: { secretName: 'api', key: 'token' } } }, [['secretEnv.TOKEN', '"TOKEN"', 'expected a name not also set in env']]);
  });

  test.each([
    ['torchserve', 'env', 'TEMP', 'LOG_LOCATION, METRICS_LOCATION, TEMP'],
    ['vllm', 'env', 'HF_HUB_OFFLINE', 'HOME, HF_HOME, HF_HUB_OFFLINE, XDG_CACHE_HOME, VLLM_NO_USAGE_STATS, DO_NOT_TRACK'],
    ['vllm', 'secretEnv', 'HOME', 'HOME, HF_HOME, HF_HUB_OFFLINE, XDG_CACHE_HOME, VLLM_NO_USAGE_STATS, DO_NOT_TRACK'],
  ] as const)('%s: user %s may not override the runtime\'s %s', (kind, prop, key, sets) => {
    const value = prop === 'env' ? { [key]: '0' } : { [key]: { secretName: 'hf', key: 'token' } };
    expectProblems({ ...MINIMAL_PROPS[kind](), [prop]: value }, [[`${prop}.${key}`, JSON.stringify(key), `expected a name the ${kind} runtime does not set itself (it sets ${sets})`]]);
  });

  test('custom runtime: MODEL_PATH is the runtime\'s when it places a model', () => {
    const runtime = Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), model: ModelArtifact.fromPersistentVolumeClaim('models') });
    expectProblems({ runtime, env: { MODEL_PATH: '/elsewhere' } }, [['env.MODEL_PATH', '"MODEL_PATH"', 'expected a name the custom runtime does not set itself (it sets MODEL_PATH)']]);
  });

  test('the error message lines quote construct, prop, value and what is allowed', () => {
    const error = validationErrorOf(() => synthChart((chart) => new ModelService(chart, 'fraud', { ...base(), namespace: 'Serving' })));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(`1 problem in modelship props:\n  - serving/fraud: namespace: got "Serving"; ${DNS1123_LABEL}`);
  });
});
