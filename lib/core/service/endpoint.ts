import { PortRole } from '../runtime/contract';
import { RenderedModelService } from './render';

/**
 * The in-cluster URL of a service's HTTP inference port, e.g.
 * `http://fraud.serving.svc.cluster.local:8080`; without a namespace, the bare service name,
 * which resolves from the same namespace. Both front ends' `endpoint` is this URL.
 */
export function inClusterUrl(rendered: RenderedModelService, namespace?: string): string {
  const http = rendered.profile.ports.find((p) => p.role === PortRole.HTTP)!;
  const host = namespace ? `${rendered.name}.${namespace}.svc.cluster.local` : rendered.name;
  return `http://${host}:${http.port}`;
}
