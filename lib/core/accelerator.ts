import { checkTolerations } from './checks';
import { Problems } from './errors';
import { Toleration } from './k8s-types';

/**
 * MIG profiles NVIDIA documents per GPU model (the MIG user guide's "Supported profiles").
 * Kept as a closed list so a typo (`1g.5g`) fails at synth, not as a Pod stuck Pending on a
 * resource name no node advertises.
 */
export const MIG_PROFILES: readonly string[] = [
  // A30 24GB
  '1g.6gb', '2g.12gb', '4g.24gb',
  // A100 40GB
  '1g.5gb', '1g.10gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb',
  // A100 80GB, H100 80GB
  '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb',
  // H100 94GB / 96GB (NVL, GH200)
  '1g.12gb', '1g.24gb', '2g.24gb', '3g.47gb', '4g.47gb', '7g.94gb', '3g.48gb', '4g.48gb', '7g.96gb',
  // H200 141GB
  '1g.18gb', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb',
];

/** Records a problem at `prop` unless `profile` is one of {@link MIG_PROFILES}; whether it is. */
export function checkMigProfile(problems: Problems, prop: string, profile: unknown): boolean {
  if (MIG_PROFILES.includes(profile as string)) return true;
  problems.add(prop, profile, `expected one of NVIDIA's MIG profiles: ${MIG_PROFILES.join(', ')}`);
  return false;
}

/** Options for {@link Accelerator.nvidiaGpu}. */
/** The extended resource of whole NVIDIA GPUs. */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The prefix of NVIDIA MIG slice resources, followed by the profile (`nvidia.com/mig-1g.10gb`). */
export const MIG_RESOURCE_PREFIX = 'nvidia.com/mig-';

/** The label GPU feature discovery sets to the GPU's product name, which `product` selects. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

/** Whether a container resource is a GPU: a whole one or a MIG slice. */
export function isGpuResource(resource: string): boolean {
  return resource === GPU_RESOURCE || resource.startsWith(MIG_RESOURCE_PREFIX);
}

export interface NvidiaGpuOptions {
  /**
   * GPUs (or MIG slices, when `migProfile` is set) per replica.
   * @default 1
   */
  readonly count?: number;
  /**
   * GPU product to schedule onto, matched against the `nvidia.com/gpu.product` node label that
   * GPU feature discovery sets (e.g. `NVIDIA-A10G`, `NVIDIA-H100-80GB-HBM3`).
   * @default - any product
   */
  readonly product?: string;
  /**
   * A MIG profile (e.g. `1g.10gb`). The pod then requests `nvidia.com/mig-<profile>` (the device
   * plugin's "mixed" strategy) instead of whole GPUs.
   * @default - whole GPUs
   */
  readonly migProfile?: string;
  /**
   * Tolerations for the taints GPU node pools carry.
   * @default - tolerate `nvidia.com/gpu` with any value and effect `NoSchedule`
   */
  readonly tolerations?: Toleration[];
}

/** What an accelerator adds to a pod. */
export interface AcceleratorRequirements {
  /** Extended resources, requested and limited alike (Kubernetes requires equal values). */
  readonly resources: Record<string, string>;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
  /** Devices visible to the server: drives vLLM's tensor parallel size and TorchServe's GPU count. */
  readonly deviceCount: number;
}

/** Hardware accelerators a model server needs. */
export class Accelerator {
  /** NVIDIA GPUs through the NVIDIA device plugin (whole GPUs or MIG slices). */
  public static nvidiaGpu(options: NvidiaGpuOptions = {}): Accelerator {
    return new Accelerator(options ?? {});
  }

  private constructor(private readonly options: NvidiaGpuOptions) {}

  /** GPUs or MIG slices per replica. */
  public get count(): number {
    return this.options.count ?? 1;
  }

  /** The MIG profile, when the pod gets MIG slices rather than whole GPUs. */
  public get migProfile(): string | undefined {
    return this.options.migProfile;
  }

  /** Records problems with these options under `prop`. */
  public validate(problems: Problems, prop: string): void {
    const p = problems.at(prop);
    const { count, product, migProfile, tolerations } = this.options;
    if (count !== undefined && !(Number.isInteger(count) && count >= 1)) {
      p.add('count', count, 'expected a positive integer number of GPUs (fractions of a GPU need a MIG profile)');
    }
    if (migProfile !== undefined) checkMigProfile(p, 'migProfile', migProfile);
    if (product !== undefined && !(typeof product === 'string' && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(product))) {
      p.add('product', product, 'expected a node label value such as "NVIDIA-A10G" (letters, digits, "-", "_", ".", at most 63)');
    }
    checkTolerations(p, 'tolerations', tolerations);
  }

  /** The pod-level requirements these options imply. */
  public requirements(): AcceleratorRequirements {
    const { product, migProfile } = this.options;
    const resource = migProfile ? `${MIG_RESOURCE_PREFIX}${migProfile}` : GPU_RESOURCE;
    return {
      resources: { [resource]: String(this.count) },
      nodeSelector: product ? { [GPU_PRODUCT_LABEL]: product } : {},
      tolerations: this.options.tolerations ?? [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }],
      deviceCount: this.count,
    };
  }
}
