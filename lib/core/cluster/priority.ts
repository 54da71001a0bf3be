import { isPlainObject } from '../checks';
import { KubeObject, Labels } from '../k8s-types';
import { Problems } from '../errors';

/** A level of scheduling priority: the suffix of its PriorityClass's name. */
export type PriorityLevel = 'critical' | 'standard' | 'batch';

/**
 * How urgently a model's pods are scheduled, and whom they may preempt when the cluster is
 * full: one of the cluster's three PriorityClasses.
 */
export class Priority {
  /** Online models whose outage is an incident: scheduled first, may preempt `standard` and `batch` pods. */
  public static critical(): Priority {
    return new Priority('critical');
  }
  /** The default: may preempt `batch` pods. */
  public static standard(): Priority {
    return new Priority('standard');
  }
  /** Offline or best-effort models: scheduled last, never preempt anything, preempted first. */
  public static batch(): Priority {
    return new Priority('batch');
  }
  private constructor(public readonly level: PriorityLevel) {}

  /** The PriorityClass of this level in the cluster whose namespace is `namespace`: `<namespace>-<level>`. */
  public className(namespace: string): string {
    return `${namespace}-${this.level}`;
  }

  public toString(): string {
    return `Priority.${this.level}()`;
  }
}

/**
 * Values of the cluster's PriorityClasses. Higher schedules first. User-defined classes may use
 * up to 1,000,000,000 (above that is reserved for system-critical pods); the defaults leave room
 * for a cluster's own classes around them.
 */
export interface PriorityValues {
  /**
   * Value of `<namespace>-critical`.
   * @default 100000
   */
  readonly critical?: number;
  /**
   * Value of `<namespace>-standard`.
   * @default 10000
   */
  readonly standard?: number;
  /**
   * Value of `<namespace>-batch` (its `preemptionPolicy` is `Never`).
   * @default 1000
   */
  readonly batch?: number;
}

const DEFAULT_VALUES = { critical: 100000, standard: 10000, batch: 1000 } as const;
/** The highest value a user-defined PriorityClass may have. */
const MAX_USER_PRIORITY = 1_000_000_000;
const LEVELS: readonly PriorityLevel[] = ['critical', 'standard', 'batch'];

/**
 * The cluster's PriorityClasses, cluster-scoped and therefore named after the cluster's
 * namespace (`prod-critical`, …) so two ServingClusters never fight over one object. None is the
 * `globalDefault`: that would change the priority of every other pod in the cluster.
 */
export function renderPriorityClasses(namespace: string, values: PriorityValues | undefined, labels: Labels, problems: Problems): KubeObject[] {
  if (values !== undefined && !isPlainObject(values)) problems.add('priorities', values, 'expected { critical?, standard?, batch? }');
  const resolved = { ...DEFAULT_VALUES, ...(isPlainObject(values) ? values : {}) };
  for (const level of LEVELS) {
    const value = resolved[level];
    if (!Number.isInteger(value) || value < -MAX_USER_PRIORITY || value > MAX_USER_PRIORITY) {
      problems.add(`priorities.${level}`, value, `expected an integer from -${MAX_USER_PRIORITY} to ${MAX_USER_PRIORITY} (higher values are reserved for system pods)`);
    }
  }
  if (!(resolved.critical > resolved.standard && resolved.standard > resolved.batch)) {
    problems.add('priorities', values, 'expected critical > standard > batch');
  }
  const description: Record<PriorityLevel, string> = {
    critical: 'modelship: online models whose outage is an incident; may preempt standard and batch pods',
    standard: 'modelship: the default for models; may preempt batch pods',
    batch: 'modelship: offline and best-effort models; never preempts, preempted first',
  };
  return LEVELS.map((level) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: Priority[level]().className(namespace), labels },
    value: resolved[level],
    globalDefault: false,
    preemptionPolicy: level === 'batch' ? 'Never' : 'PreemptLowerPriority',
    description: description[level],
  }));
}

/**
 * The level of one of the PriorityClasses {@link renderPriorityClasses} rendered for
 * `namespace`, read from its name (`prod-critical` → `critical`): what both front ends name its
 * child after.
 */
export function priorityClassLevel(namespace: string, priorityClass: KubeObject): PriorityLevel {
  const name = priorityClass.metadata.name;
  const level = name.startsWith(`${namespace}-`) ? name.slice(namespace.length + 1) : undefined;
  if (!LEVELS.includes(level as PriorityLevel)) throw new Error(`modelship: ${name} is not a PriorityClass of the namespace ${namespace}`);
  return level as PriorityLevel;
}
