/**
 * CustomResourceDefinitions of the custom resources modelship renders (KEDA ScaledObject and
 * TriggerAuthentication; Prometheus Operator ServiceMonitor, PodMonitor and PrometheusRule;
 * Gateway API HTTPRoute, standard channel),
 * copied byte for byte from their projects (see SOURCES.md), and their registration with the
 * strict validator of ../k8s-validate.ts.
 *
 * The validator walks each CRD's structural `openAPIV3Schema` with unknown fields rejected, as
 * the API server's strict decoding does; it does not evaluate CEL (`x-kubernetes-validations`),
 * so the CEL rules of the kinds we emit are restated in {@link celProblems}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { registerCrd } from '../k8s-validate';

/** The CRD files in this directory. */
export const CRD_FILES: readonly string[] = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Parses one CRD file of this directory. */
export function loadCrd(file: string): unknown {
  return parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
}

/** Registers every CRD of this directory with the strict validator; returns a function that unregisters them. */
export function registerCustomResourceSchemas(): () => void {
  const undo = CRD_FILES.map((f) => registerCrd(loadCrd(f)));
  return () => undo.forEach((u) => u());
}

/**
 * The CEL rules (`x-kubernetes-validations`) of the custom resources modelship emits, which the
 * schema walk does not evaluate. ScaledObject (keda.sh_scaledobjects.yaml): `!has(self.minReplicaCount)
 * || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)`.
 * HTTPRoute (gateway.networking.k8s.io_httproutes.yaml): {@link httpRouteCelProblems}.
 */
export function celProblems(obj: { apiVersion?: unknown; kind?: unknown; spec?: unknown }): string[] {
  if (obj.apiVersion === 'gateway.networking.k8s.io/v1' && obj.kind === 'HTTPRoute') return httpRouteCelProblems(obj.spec);
  if (obj.apiVersion !== 'keda.sh/v1alpha1' || obj.kind !== 'ScaledObject') return [];
  const spec = (obj.spec ?? {}) as { minReplicaCount?: number; maxReplicaCount?: number };
  const max = spec.maxReplicaCount ?? 100;
  return spec.minReplicaCount !== undefined && spec.minReplicaCount > max ? ['spec: minReplicaCount must be less than or equal to maxReplicaCount'] : [];
}

interface RouteFilter {
  type?: string;
  requestMirror?: { percent?: unknown; fraction?: { numerator: number; denominator?: number } };
  urlRewrite?: { path?: { type?: string } };
  requestRedirect?: { path?: { type?: string } };
}
interface RouteRule {
  matches?: { path?: { type?: string; value?: string } }[];
  filters?: RouteFilter[];
  backendRefs?: { group?: string; kind?: string; port?: number }[];
}

/** The standard-channel HTTPRoute CEL rules on the fields modelship renders (path matches, filters, backendRefs), with the CRD's messages. */
function httpRouteCelProblems(spec: unknown): string[] {
  const out: string[] = [];
  const rules = ((spec ?? {}) as { rules?: RouteRule[] }).rules ?? [];
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    // Absent matches default to one PathPrefix "/".
    const matches = rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }];
    matches.forEach((m, j) => {
      const type = m.path?.type ?? 'PathPrefix';
      const value = m.path?.value ?? '/';
      if (type !== 'Exact' && type !== 'PathPrefix') return;
      const where = `${at}.matches[${j}].path`;
      if (!value.startsWith('/')) out.push(`${where}: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`);
      for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (value.includes(bad)) out.push(`${where}: must not contain '${bad}' when type one of ['Exact', 'PathPrefix']`);
      for (const bad of ['/..', '/.']) if (value.endsWith(bad)) out.push(`${where}: must not end with '${bad}' when type one of ['Exact', 'PathPrefix']`);
      if (!/^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/.test(value)) out.push(`${where}: must only contain valid characters for types ['Exact', 'PathPrefix']`);
    });
    const filters = rule.filters ?? [];
    const count = (type: string) => filters.filter((f) => f.type === type).length;
    if (count('RequestRedirect') > 0 && count('URLRewrite') > 0) out.push(`${at}.filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both`);
    for (const type of ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']) {
      if (count(type) > 1) out.push(`${at}.filters: ${type} filter cannot be repeated`);
    }
    filters.forEach((f, j) => {
      const mirror = f.requestMirror;
      if ((mirror !== undefined) !== (f.type === 'RequestMirror')) out.push(`${at}.filters[${j}]: filter.requestMirror must be set exactly when filter.type is RequestMirror`);
      if (mirror?.percent !== undefined && mirror.fraction !== undefined) out.push(`${at}.filters[${j}].requestMirror: Only one of percent or fraction may be specified in HTTPRequestMirrorFilter`);
      if (mirror?.fraction && mirror.fraction.numerator > (mirror.fraction.denominator ?? 100)) out.push(`${at}.filters[${j}].requestMirror.fraction: numerator must be less than or equal to denominator`);
      if ((f.urlRewrite !== undefined) !== (f.type === 'URLRewrite')) out.push(`${at}.filters[${j}]: filter.urlRewrite must be set exactly when filter.type is URLRewrite`);
    });
    const prefixRewrite = filters.some((f) => (f.urlRewrite ?? f.requestRedirect)?.path?.type === 'ReplacePrefixMatch');
    if (prefixRewrite && !(matches.length === 1 && (matches[0]!.path?.type ?? 'PathPrefix') === 'PathPrefix')) {
      out.push(`${at}: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`);
    }
    if ((rule.backendRefs ?? []).length > 0 && count('RequestRedirect') > 0) out.push(`${at}: RequestRedirect filter must not be used together with backendRefs`);
    (rule.backendRefs ?? []).forEach((b, j) => {
      if ((b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service' && b.port === undefined) out.push(`${at}.backendRefs[${j}]: Must have port for Service reference`);
    });
  });
  return out;
}
