/** metav1.LabelSelector syntax and matching. */
import { labelValue, qualifiedName } from './k8s-name-rules';
import { childPath, indexPath, isObject, objectItems, stringField, stringMap, type JsonObject, type Report } from './k8s-problem';

/** Label maps (metadata.labels, matchLabels, Service selectors, nodeSelector): keys are qualified names, values label values. */
export function checkLabelMap(value: unknown, path: string, report: Report): void {
  for (const [key, val] of stringMap(value)) {
    const at = childPath(path, key);
    for (const e of qualifiedName(key)) report(at, `invalid label key ${JSON.stringify(key)}: ${e}`);
    for (const e of labelValue(val)) report(at, `invalid label value ${JSON.stringify(val)}: ${e}`);
  }
}

export function checkLabelSelector(selector: JsonObject, path: string, report: Report): void {
  checkLabelMap(selector['matchLabels'], childPath(path, 'matchLabels'), report);
  for (const [i, req] of objectItems(selector['matchExpressions'])) {
    const at = indexPath(childPath(path, 'matchExpressions'), i);
    const key = stringField(req, 'key');
    if (key !== undefined) for (const e of qualifiedName(key)) report(childPath(at, 'key'), `invalid label key ${JSON.stringify(key)}: ${e}`);
    const values = Array.isArray(req['values']) ? req['values'] : [];
    const operator = stringField(req, 'operator');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) report(childPath(at, 'values'), `must be specified when operator is ${operator}`);
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) report(childPath(at, 'values'), `may not be specified when operator is ${operator}`);
    } else if (operator !== undefined) {
      report(childPath(at, 'operator'), `unsupported value ${JSON.stringify(operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`);
    }
    values.forEach((v, j) => {
      if (typeof v === 'string') for (const e of labelValue(v)) report(indexPath(childPath(at, 'values'), j), `invalid label value ${JSON.stringify(v)}: ${e}`);
    });
  }
}

/** True when the selector has neither matchLabels nor matchExpressions (it would select everything). */
export function isEmptySelector(selector: JsonObject): boolean {
  const labels = isObject(selector['matchLabels']) ? Object.keys(selector['matchLabels']).length : 0;
  const exprs = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'].length : 0;
  return labels + exprs === 0;
}

/** Does a LabelSelector select an object with these labels? */
export function selectorMatches(selector: JsonObject, labels: Record<string, string>): boolean {
  for (const [k, v] of stringMap(selector['matchLabels'])) if (labels[k] !== v) return false;
  for (const [, req] of objectItems(selector['matchExpressions'])) {
    const key = stringField(req, 'key') ?? '';
    const values = Array.isArray(req['values']) ? req['values'] : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (stringField(req, 'operator')) {
      case 'In': if (!has || !values.includes(labels[key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Does a plain map selector (Service.spec.selector) select these labels? */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function labelsOf(meta: JsonObject | undefined): Record<string, string> {
  return Object.fromEntries(stringMap(meta?.['labels']));
}
