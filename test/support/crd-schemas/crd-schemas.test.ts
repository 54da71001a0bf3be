/** The copied CRDs are the recorded bytes, register with the strict validator, and reject what the API server would. */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { validateK8sObject } from '../k8s-validate';
import { celProblems, CRD_FILES, loadCrd, registerCustomResourceSchemas } from '.';

const sources = fs.readFileSync(path.join(__dirname, 'SOURCES.md'), 'utf8');

test('every CRD file is listed in SOURCES.md with its sha256, and its license is here', () => {
  expect(CRD_FILES).toEqual([
    'gateway.networking.k8s.io_httproutes.yaml',
    'keda.sh_scaledobjects.yaml',
    'keda.sh_triggerauthentications.yaml',
    'monitoring.coreos.com_podmonitors.yaml',
    'monitoring.coreos.com_prometheusrules.yaml',
    'monitoring.coreos.com_servicemonitors.yaml',
  ]);
  for (const file of CRD_FILES) {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(__dirname, file))).digest('hex');
    expect(sources).toContain(`| ${file} |`);
    expect(sources).toContain(sha);
  }
  for (const license of ['gateway-api.LICENSE', 'keda.LICENSE', 'prometheus-operator.LICENSE', 'prometheus-operator.NOTICE']) expect(fs.existsSync(path.join(__dirname, 'licenses', license))).toBe(true);
});

describe('registered', () => {
  let unregister: () => void;
  beforeAll(() => {
    unregister = registerCustomResourceSchemas();
  });
  afterAll(() => unregister());

  const scaledObject = (spec: Record<string, unknown>) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'fraud', namespace: 'ml' }, spec });
  const trigger = { type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(x)', threshold: '1' } };

  test('a valid ScaledObject and ServiceMonitor pass; unknown fields fail at any depth', () => {
    expect(validateK8sObject(scaledObject({ scaleTargetRef: { name: 'fraud' }, triggers: [trigger] }))).toEqual([]);
    expect(validateK8sObject(scaledObject({ scaleTargetRef: { name: 'fraud', knd: 'Deployment' }, triggers: [trigger] })).map((p) => p.path)).toEqual(['spec.scaleTargetRef.knd']);
    const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'fraud' }, spec: { selector: { matchLabels: { app: 'fraud' } }, endpoints: [{ port: 'metrics', path: '/metrics' }] } };
    expect(validateK8sObject(monitor)).toEqual([]);
    expect(validateK8sObject({ ...monitor, spec: { ...monitor.spec, endpoint: [] } }).map((p) => p.path)).toEqual(['spec.endpoint']);
  });

  test('schema minimums: maxReplicaCount ≥ 1, at least one trigger', () => {
    expect(validateK8sObject(scaledObject({ scaleTargetRef: { name: 'fraud' }, maxReplicaCount: 0, triggers: [trigger] })).map((p) => p.path)).toEqual(['spec.maxReplicaCount']);
    expect(validateK8sObject(scaledObject({ scaleTargetRef: { name: 'fraud' }, triggers: [] })).map((p) => p.path)).toEqual(['spec.triggers']);
  });

  test('the CEL rule the walk does not evaluate: minReplicaCount ≤ maxReplicaCount (100 when unset)', () => {
    expect(celProblems(scaledObject({ minReplicaCount: 5, maxReplicaCount: 4 }))).toEqual(['spec: minReplicaCount must be less than or equal to maxReplicaCount']);
    expect(celProblems(scaledObject({ minReplicaCount: 101 }))).toEqual(['spec: minReplicaCount must be less than or equal to maxReplicaCount']);
    expect(celProblems(scaledObject({ minReplicaCount: 4, maxReplicaCount: 4 }))).toEqual([]);
    // The rule is the CRD's own.
    const crd = loadCrd('keda.sh_scaledobjects.yaml') as { spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: { 'x-kubernetes-validations': { rule: string }[] } } } } }[] } };
    expect(crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'].map((v) => v.rule)).toEqual([
      '!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)',
    ]);
  });
});

describe('HTTPRoute', () => {
  let unregister: () => void;
  beforeAll(() => {
    unregister = registerCustomResourceSchemas();
  });
  afterAll(() => unregister());

  const route = (rule: Record<string, unknown>) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'fraud', namespace: 'prod' },
    spec: { parentRefs: [{ name: 'public' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/fraud' } }], backendRefs: [{ name: 'fraud', port: 8080 }], ...rule }] },
  });
  const mirror = (extra: Record<string, unknown>) => ({ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 }, ...extra } });

  test('a weighted, mirrored, rewritten route passes; unknown fields fail', () => {
    const ok = route({ filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }, mirror({ percent: 5 })] });
    expect(validateK8sObject(ok)).toEqual([]);
    expect(celProblems(ok)).toEqual([]);
    expect(validateK8sObject(route({ backendRefs: [{ name: 'fraud', port: 8080, wieght: 1 }] })).map((p) => p.path)).toEqual(['spec.rules[0].backendRefs[0].wieght']);
    expect(validateK8sObject(route({ filters: [mirror({ percent: 101 })] })).map((p) => p.path)).toEqual(['spec.rules[0].filters[0].requestMirror.percent']);
  });

  test('the CEL rules: percent or fraction, a prefix rewrite needs one PathPrefix match, paths, ports', () => {
    expect(celProblems(route({ filters: [mirror({ percent: 5, fraction: { numerator: 1 } })] }))).toEqual(['spec.rules[0].filters[0].requestMirror: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter']);
    expect(celProblems(route({ matches: [{ path: { type: 'Exact', value: '/fraud' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }] }))).toEqual([
      'spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
    ]);
    expect(celProblems(route({ matches: [{ path: { type: 'PathPrefix', value: '/a//b' } }] }))).toEqual(["spec.rules[0].matches[0].path: must not contain '//' when type one of ['Exact', 'PathPrefix']"]);
    expect(celProblems(route({ backendRefs: [{ name: 'fraud' }] }))).toEqual(['spec.rules[0].backendRefs[0]: Must have port for Service reference']);
    // The rules restated are the CRD's own.
    const dig = (o: unknown, ...keys: (string | number)[]): unknown => keys.reduce((x, k) => (x as Record<string | number, unknown>)[k], o);
    const versions = dig(loadCrd('gateway.networking.k8s.io_httproutes.yaml'), 'spec', 'versions') as { name: string }[];
    const mirrorRules = dig(versions.find((v) => v.name === 'v1'), 'schema', 'openAPIV3Schema', 'properties', 'spec', 'properties', 'rules', 'items', 'properties', 'filters', 'items', 'properties', 'requestMirror', 'x-kubernetes-validations') as { rule: string }[];
    expect(mirrorRules.map((v) => v.rule)).toEqual(['!(has(self.percent) && has(self.fraction))']);
  });
});
