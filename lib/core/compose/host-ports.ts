import { MIG_RESOURCE_PREFIX } from '../accelerator';
import { PortRole } from '../runtime/contract';
import { RenderedModelService } from '../service/render';

/** Port roles published on the host; admin ports (TorchServe's management API) stay inside the container. */
export const PUBLISHED_ROLES: readonly PortRole[] = [PortRole.HTTP, PortRole.GRPC, PortRole.METRICS];

/** Step between the host-port offsets {@link assignHostPortOffsets} tries: ports stay recognisable (8080 → 8180). */
export const HOST_PORT_OFFSET_STEP = 100;

/** The container ports of a service that Compose publishes on the host. */
export function publishedContainerPorts(rendered: RenderedModelService): number[] {
  return [...new Set(rendered.profile.ports.filter((p) => PUBLISHED_ROLES.includes(p.role)).map((p) => p.port))];
}

/**
 * Host-port offsets that let every service of a stack run side by side: each service, in order,
 * takes the smallest multiple of {@link HOST_PORT_OFFSET_STEP} at which none of its published
 * ports is taken yet. The first service keeps its container ports. A service for which no
 * offset keeps every port at or below 65535 is left out of the result (and listed in
 * `unplaced`): hundreds of services on the same ports cannot all be published on one host.
 */
export function assignHostPortOffsets(services: readonly RenderedModelService[]): Record<string, number> {
  return placeHostPorts(services).offsets;
}

/** {@link assignHostPortOffsets}, also returning the services that found no free host ports. */
export function placeHostPorts(services: readonly RenderedModelService[]): { offsets: Record<string, number>; unplaced: string[] } {
  const taken = new Set<number>();
  const offsets: Record<string, number> = {};
  const unplaced: string[] = [];
  for (const service of services) {
    const ports = publishedContainerPorts(service);
    const highest = Math.max(0, ...ports);
    let offset = 0;
    while (offset + highest <= 65535 && ports.some((p) => taken.has(p + offset))) offset += HOST_PORT_OFFSET_STEP;
    if (offset + highest > 65535) {
      unplaced.push(service.name);
      continue;
    }
    ports.forEach((p) => taken.add(p + offset));
    offsets[service.name] = offset;
  }
  return { offsets, unplaced };
}

/** Why a service cannot run under Compose, or `undefined` when it can (MIG slices cannot be reserved by profile). */
export function composeUnsupportedReason(rendered: RenderedModelService): string | undefined {
  const spec = rendered.deployment.spec as { template: { spec: { containers: { resources: { limits?: Record<string, string> } }[] } } };
  const mig = Object.keys(spec.template.spec.containers[0]?.resources.limits ?? {}).find((r) => r.startsWith(MIG_RESOURCE_PREFIX));
  return mig ? `requests ${mig}: Compose reserves whole GPUs only, not MIG slices` : undefined;
}
