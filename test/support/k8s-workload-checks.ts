/** Deployment, StatefulSet and Job: selector/template agreement, controller rules, then the pod template. */
import { isEmptySelector, labelsOf, selectorMatches } from './k8s-label-selectors';
import { checkPodTemplate } from './k8s-pod-checks';
import { childPath, objectField, objectItems, stringField, type JsonObject, type Report } from './k8s-problem';

function nonNegative(spec: JsonObject, fields: string[], path: string, report: Report): void {
  for (const f of fields) {
    const v = spec[f];
    if (typeof v === 'number' && v < 0) report(childPath(path, f), 'must be greater than or equal to 0');
  }
}

/** A controller whose selector does not select its own pods is rejected (and would orphan them). */
function checkSelectorMatchesTemplate(spec: JsonObject, report: Report, emptyAllowed = false): void {
  const selector = objectField(spec, 'selector');
  if (!selector) return; // missing selector is a schema error
  if (!emptyAllowed && isEmptySelector(selector)) {
    report('spec.selector', 'empty selector is invalid: it must select the pod template labels');
    return;
  }
  const labels = labelsOf(objectField(objectField(spec, 'template'), 'metadata'));
  if (!selectorMatches(selector, labels)) {
    report('spec.template.metadata.labels', `\`selector\` does not match template \`labels\` (selector ${JSON.stringify(selector)}, labels ${JSON.stringify(labels)})`);
  }
}

export function checkDeployment(obj: JsonObject, report: Report): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  checkSelectorMatchesTemplate(spec, report);
  nonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit'], 'spec', report);
  const strategy = objectField(spec, 'strategy');
  if (stringField(strategy, 'type') === 'Recreate' && strategy?.['rollingUpdate'] !== undefined) {
    report('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'");
  }
  const deadline = spec['progressDeadlineSeconds'];
  const minReady = spec['minReadySeconds'];
  if (typeof deadline === 'number' && typeof minReady === 'number' && deadline <= minReady) {
    report('spec.progressDeadlineSeconds', 'must be greater than minReadySeconds');
  }
  const template = objectField(spec, 'template');
  if (template) checkPodTemplate(template, 'spec.template', { restartPolicies: ['Always'], extraVolumes: new Set() }, report);
}

export function checkStatefulSet(obj: JsonObject, report: Report): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  checkSelectorMatchesTemplate(spec, report);
  nonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit'], 'spec', report);
  const strategy = objectField(spec, 'updateStrategy');
  if (stringField(strategy, 'type') === 'OnDelete' && strategy?.['rollingUpdate'] !== undefined) {
    report('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'");
  }
  const claimNames = new Set<string>();
  for (const [i, claim] of objectItems(spec['volumeClaimTemplates'])) {
    const name = stringField(objectField(claim, 'metadata'), 'name');
    if (name) claimNames.add(name);
    else report(`spec.volumeClaimTemplates[${i}].metadata.name`, 'required field is missing');
  }
  const template = objectField(spec, 'template');
  if (template) checkPodTemplate(template, 'spec.template', { restartPolicies: ['Always'], extraVolumes: claimNames }, report);
}

export function checkJob(obj: JsonObject, report: Report): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  // Without manualSelector the server generates selector and labels itself and rejects a given selector.
  if (spec['manualSelector'] === true) checkSelectorMatchesTemplate(spec, report);
  else if (spec['selector'] !== undefined) report('spec.selector', '`selector` will be auto-generated; set manualSelector: true to supply one');
  nonNegative(spec, ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished'], 'spec', report);
  const deadline = spec['activeDeadlineSeconds'];
  if (typeof deadline === 'number' && deadline <= 0) report('spec.activeDeadlineSeconds', 'must be greater than 0');
  if (stringField(spec, 'completionMode') === 'Indexed' && spec['completions'] === undefined) {
    report('spec.completions', 'must be specified when completionMode is Indexed');
  }
  const template = objectField(spec, 'template');
  const podSpec = objectField(template, 'spec');
  // The PodSpec default (Always) is invalid for Jobs, so the policy has to be spelled out.
  if (podSpec && podSpec['restartPolicy'] === undefined) report('spec.template.spec.restartPolicy', 'required for Jobs: "OnFailure" or "Never"');
  if (spec['podFailurePolicy'] !== undefined && podSpec && podSpec['restartPolicy'] !== undefined && podSpec['restartPolicy'] !== 'Never') {
    report('spec.template.spec.restartPolicy', 'must be "Never" when podFailurePolicy is set');
  }
  if (template) checkPodTemplate(template, 'spec.template', { restartPolicies: ['OnFailure', 'Never'], extraVolumes: new Set() }, report);
}
