import { checkMigProfile, GPU_PRODUCT_LABEL, GPU_RESOURCE } from '../accelerator';
import { checkInteger, checkLabels, isPlainObject, listItems } from '../checks';
import { Problems } from '../errors';
import { isDnsLabel, isLabelKey, isLabelValue, NAME_RULES } from '../names';
import { parseQuantity } from '../quantity';

/** A node taint, as `kubectl taint` writes it (`key=value:Effect`). */
export interface NodeTaint {
  readonly key: string;
  /** The taint's value; a toleration with operator `Equal` must name it. */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A pool of identical nodes, as the capacity plan sees them. */
export interface NodePoolProps {
  /** Nodes in the pool (the most the plan may use). */
  readonly count: number;
  /** Allocatable CPU per node (a quantity: `4`, `3920m`), what the kubelet leaves for pods. */
  readonly cpu: string;
  /** Allocatable memory per node (a quantity: `8Gi`). */
  readonly memory: string;
  /**
   * Node labels, matched against the models' node selectors.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Node taints; a model must tolerate every `NoSchedule` and `NoExecute` one to run there.
   * @default - none
   */
  readonly taints?: NodeTaint[];
  /**
   * Pods per node (the kubelet's `maxPods`), counting only the pods the plan places.
   * @default 110
   */
  readonly maxPods?: number;
}

/** A pool of identical GPU nodes. */
export interface GpuNodePoolProps extends NodePoolProps {
  /** Whole NVIDIA GPUs per node (`nvidia.com/gpu` allocatable); 0 when every GPU is partitioned into `migSlices`. */
  readonly gpus: number;
  /**
   * MIG slices per node, by profile: the `nvidia.com/mig-<profile>` allocatable of nodes whose
   * GPUs are partitioned with the device plugin's `mixed` strategy, e.g. `{ "1g.10gb": 7 }` for
   * one A100 40GB cut into seven slices. A model with `Accelerator.nvidiaGpu({ migProfile })`
   * only fits where its profile is.
   * @default - none
   */
  readonly migSlices?: Record<string, number>;
  /**
   * GPU product, set as the `nvidia.com/gpu.product` node label, the label
   * `Accelerator.nvidiaGpu({ product })` selects (e.g. `NVIDIA-A10G`).
   * @default - no product label
   */
  readonly gpuProduct?: string;
  /**
   * Node taints. GPU pools are usually tainted so that only pods that ask for GPUs land there
   * (GKE does it for every GPU pool); `Accelerator.nvidiaGpu()` tolerates this taint by default.
   * @default [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]
   */
  readonly taints?: NodeTaint[];
}

/** The taint a GPU pool carries unless its props say otherwise. */
export const DEFAULT_GPU_TAINT: NodeTaint = { key: GPU_RESOURCE, value: 'present', effect: 'NoSchedule' };
/** The kubelet's default `maxPods`. */
export const DEFAULT_MAX_PODS = 110;

const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * A declared pool of identical nodes: how many, what each can allocate, its labels and taints.
 * Invalid props are kept (as `NaN` amounts) and reported by {@link NodePool.validate}, so one
 * run lists every problem.
 */
export class NodePool {
  /** A pool of CPU-only nodes. */
  public static cpu(name: string, props: NodePoolProps): NodePool {
    return new NodePool('cpu', name, props ?? ({} as NodePoolProps), 0, undefined, []);
  }

  /** A pool of GPU nodes. */
  public static gpu(name: string, props: GpuNodePoolProps): NodePool {
    const p = props ?? ({} as GpuNodePoolProps);
    return new NodePool('gpu', name, p, typeof p.gpus === 'number' ? p.gpus : Number.NaN, p.gpuProduct, [DEFAULT_GPU_TAINT]);
  }

  /** Allocatable CPU per node, in millicores (`NaN` when `cpu` does not parse). */
  public readonly cpuMillis: number;
  /** Allocatable memory per node, in bytes (`NaN` when `memory` does not parse). */
  public readonly memoryBytes: number;
  /** GPUs per node (0 for a CPU pool). */
  public readonly gpus: number;
  /** MIG slices per node, by profile (empty for a CPU pool). */
  public readonly migSlices: Readonly<Record<string, number>>;
  /** Nodes in the pool. */
  public readonly count: number;
  /** Node labels, with `nvidia.com/gpu.product` for a GPU pool with a product. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Node taints. */
  public readonly taints: readonly NodeTaint[];
  /** Pods per node. */
  public readonly maxPods: number;

  private constructor(
    private readonly kind: 'cpu' | 'gpu',
    public readonly name: string,
    private readonly props: NodePoolProps,
    gpus: number,
    private readonly gpuProduct: unknown,
    defaultTaints: readonly NodeTaint[],
  ) {
    this.count = props.count;
    this.cpuMillis = Math.round((parseQuantity(props.cpu) ?? Number.NaN) * 1000);
    this.memoryBytes = parseQuantity(props.memory) ?? Number.NaN;
    this.gpus = gpus;
    const slices = (props as GpuNodePoolProps).migSlices;
    this.migSlices = kind === 'gpu' && isPlainObject(slices) ? { ...slices } : {};
    const labels = isPlainObject(props.labels) ? (props.labels as Record<string, string>) : {};
    this.labels = { ...labels, ...(typeof gpuProduct === 'string' ? { [GPU_PRODUCT_LABEL]: gpuProduct } : {}) };
    this.taints = Array.isArray(props.taints) ? props.taints : defaultTaints;
    this.maxPods = props.maxPods ?? DEFAULT_MAX_PODS;
  }

  /** Whether this is a GPU pool: whole GPUs or MIG slices. */
  public get isGpu(): boolean {
    return this.gpus > 0 || Object.values(this.migSlices).some((n) => n > 0);
  }

  /** Records the problems of this pool's props under `problems` (e.g. `problems.at('nodePools[0]')`). */
  public validate(problems: Problems): void {
    const { props } = this;
    if (!isDnsLabel(this.name)) problems.add('name', this.name, NAME_RULES.label);
    if (!(typeof props.count === 'number' && Number.isInteger(props.count) && props.count >= 0)) {
      problems.add('count', props.count, 'expected a whole number of nodes, 0 or more');
    }
    if (!(this.cpuMillis > 0)) problems.add('cpu', props.cpu, 'expected a positive CPU quantity such as "4" or "3920m"');
    if (!(this.memoryBytes > 0)) problems.add('memory', props.memory, 'expected a positive memory quantity such as "8Gi"');
    checkInteger(problems, 'maxPods', props.maxPods, 1);
    const slices = (props as GpuNodePoolProps).migSlices;
    const hasSlices = isPlainObject(slices) && Object.keys(slices).length > 0;
    if (this.kind === 'gpu' && !(Number.isInteger(this.gpus) && (this.gpus >= 1 || (this.gpus === 0 && hasSlices)))) {
      problems.add('gpus', (props as GpuNodePoolProps).gpus, 'expected a whole number of GPUs per node, 1 or more (0 when migSlices partition every GPU)');
    }
    if (slices !== undefined && !isPlainObject(slices)) problems.add('migSlices', slices, 'expected slices per node by MIG profile, e.g. { "1g.10gb": 7 }');
    else if (slices !== undefined) {
      for (const [profile, n] of Object.entries(slices)) {
        checkMigProfile(problems, `migSlices.${profile}`, profile);
        checkInteger(problems, `migSlices.${profile}`, (n as number | undefined) ?? Number.NaN, 1);
      }
    }
    if (this.gpuProduct !== undefined && !(typeof this.gpuProduct === 'string' && this.gpuProduct !== '' && isLabelValue(this.gpuProduct))) {
      problems.add('gpuProduct', this.gpuProduct, `expected a GPU product name such as "NVIDIA-A10G" (${NAME_RULES.labelValue})`);
    }
    checkLabels(problems, 'labels', props.labels);
    listItems(problems, 'taints', props.taints, 'expected an array of taints').forEach((item, i) => {
      const t = item as NodeTaint;
      if (!isPlainObject(item)) problems.add(`taints[${i}]`, item, 'expected a taint such as { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }');
      else {
        if (!isLabelKey(t.key)) problems.add(`taints[${i}].key`, t.key, NAME_RULES.labelKey);
        if (t.value !== undefined && !isLabelValue(t.value)) problems.add(`taints[${i}].value`, t.value, NAME_RULES.labelValue);
        if (!TAINT_EFFECTS.includes(t.effect)) problems.add(`taints[${i}].effect`, t.effect, `expected one of ${TAINT_EFFECTS.join(', ')}`);
      }
    });
  }
}
