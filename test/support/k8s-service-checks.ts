/** Service rules from ValidateService (1.28) that the schema cannot express. */
import { checkLabelMap } from './k8s-label-selectors';
import { dns1123Subdomain } from './k8s-name-rules';
import { childPath, indexPath, objectField, objectItems, stringField, type JsonObject, type Report } from './k8s-problem';

export function checkService(obj: JsonObject, report: Report): void {
  const spec = objectField(obj, 'spec');
  if (!spec) return;
  const type = stringField(spec, 'type') ?? 'ClusterIP';
  checkLabelMap(spec['selector'], 'spec.selector', report);

  if (type === 'ExternalName') {
    const external = stringField(spec, 'externalName');
    if (!external) report('spec.externalName', 'required for type ExternalName');
    else for (const e of dns1123Subdomain(external.replace(/\.$/, ''))) report('spec.externalName', e);
  }

  const ports = objectItems(spec['ports']);
  const headless = stringField(spec, 'clusterIP') === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) report('spec.ports', 'must specify at least one port');

  const names = new Map<string, string>();
  for (const [i, port] of ports) {
    const at = indexPath('spec.ports', i);
    const name = stringField(port, 'name');
    if (ports.length > 1 && !name) report(childPath(at, 'name'), 'required when a Service has more than one port');
    if (name) {
      const first = names.get(name);
      if (first !== undefined) report(childPath(at, 'name'), `duplicate port name ${JSON.stringify(name)} (also ${first})`);
      else names.set(name, childPath(at, 'name'));
    }
    if (typeof port['nodePort'] === 'number' && port['nodePort'] !== 0 && type === 'ClusterIP') {
      report(childPath(at, 'nodePort'), "may not be used when `type` is 'ClusterIP'");
    }
  }
}
