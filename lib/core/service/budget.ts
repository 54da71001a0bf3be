import { Duration } from '../duration';
import { Problems } from '../errors';
import { StartupProbeOptions } from './props';

/** Seconds between startup probes unless overridden. */
export const STARTUP_PROBE_PERIOD_SECONDS = 10;
/** Seconds between readiness probes (after the startup probe has passed). */
export const READINESS_PROBE_PERIOD_SECONDS = 5;
/** Slack in the derived progress deadline for scheduling and volume attachment. */
export const PROGRESS_DEADLINE_MARGIN_SECONDS = 60;
/** Longest progress deadline accepted (the largest Duration an IaC await timer can hold, in seconds). */
export const MAX_PROGRESS_DEADLINE_SECONDS = Math.floor(2 ** 31 / 1000);
/** Default time to pull an image onto a node. */
export const DEFAULT_IMAGE_PULL_TIME = Duration.minutes(5);

/**
 * Every timeout derived from the one startup budget. The startup probe must let the model
 * load; the rollout deadline must also let the image pull and the artifact download; an
 * IaC tool's await timeout (Pulumi) and an autoscaler's scale-down stabilization and scale to
 * zero use the same numbers, so no layer gives up before another. (The scale-up stabilization
 * does not: loading pods already count as serving nothing there; see `ScaleUpOptions`.)
 */
export interface StartupBudget {
  /** Seconds the server takes to load the model (`modelLoadTime`). */
  readonly modelLoadSeconds: number;
  /** Seconds the artifact download may take (0 when nothing is fetched). */
  readonly downloadSeconds: number;
  /** Seconds to pull the image. */
  readonly imagePullSeconds: number;
  /**
   * The startup probe's period and failure threshold. The kubelet probes once as the container
   * starts, so the last allowed failure comes `(failureThreshold − 1) × periodSeconds` later;
   * that product covers `modelLoadSeconds`.
   */
  readonly startupProbe: { readonly periodSeconds: number; readonly failureThreshold: number };
  /**
   * Seconds from pod creation to Ready in the worst accepted case: image pull + download +
   * load, plus one startup period (the probe that sees the model loaded) and one readiness period.
   */
  readonly podReadySeconds: number;
  /** The Deployment's `progressDeadlineSeconds`. */
  readonly progressDeadlineSeconds: number;
}

/** What the budget is computed from. */
export interface StartupBudgetInput {
  readonly modelLoadTime: Duration;
  readonly downloadSeconds: number;
  readonly imagePullTime?: Duration;
  readonly startupProbe?: StartupProbeOptions;
  readonly progressDeadline?: Duration;
}

/**
 * Computes the startup budget, recording a problem for any explicit override that would give up
 * before the declared load time.
 */
export function startupBudget(input: StartupBudgetInput, problems?: Problems): StartupBudget {
  const modelLoadSeconds = input.modelLoadTime.toSeconds();
  const imagePullSeconds = (input.imagePullTime ?? DEFAULT_IMAGE_PULL_TIME).toSeconds();
  const periodSeconds = input.startupProbe?.periodSeconds ?? STARTUP_PROBE_PERIOD_SECONDS;
  // One more than the periods in the load time: the first probe runs at start, not after a period.
  const needed = Math.ceil(modelLoadSeconds / periodSeconds) + 1;
  const failureThreshold = input.startupProbe?.failureThreshold ?? needed;
  if (problems && periodSeconds * (failureThreshold - 1) < modelLoadSeconds) {
    problems.add(
      'startupProbe.failureThreshold',
      failureThreshold,
      `expected at least ${needed}: (failureThreshold − 1) × periodSeconds (${periodSeconds}) must cover modelLoadTime (${modelLoadSeconds} s), because the kubelet probes once at start and kills the server at the last failure`,
    );
  }
  const podReadySeconds = imagePullSeconds + input.downloadSeconds + modelLoadSeconds + periodSeconds + READINESS_PROBE_PERIOD_SECONDS;
  const derivedDeadline = podReadySeconds + PROGRESS_DEADLINE_MARGIN_SECONDS;
  const progressDeadlineSeconds = input.progressDeadline?.toSeconds() ?? derivedDeadline;
  if (problems && input.progressDeadline && progressDeadlineSeconds < podReadySeconds) {
    problems.add(
      'progressDeadline',
      input.progressDeadline,
      `expected at least ${podReadySeconds} s: image pull (${imagePullSeconds} s) + download (${input.downloadSeconds} s) + modelLoadTime (${modelLoadSeconds} s) + one startup and one readiness probe period (${periodSeconds + READINESS_PROBE_PERIOD_SECONDS} s), or rollouts of a healthy model are reported failed`,
    );
  }
  if (problems && !input.progressDeadline && derivedDeadline > MAX_PROGRESS_DEADLINE_SECONDS) {
    problems.add(
      'progressDeadline',
      undefined,
      `expected the derived deadline, ${podReadySeconds} s to become ready + ${PROGRESS_DEADLINE_MARGIN_SECONDS} s = ${derivedDeadline} s, to be at most ${MAX_PROGRESS_DEADLINE_SECONDS} s: declare shorter times`,
    );
  }
  return {
    modelLoadSeconds,
    downloadSeconds: input.downloadSeconds,
    imagePullSeconds,
    startupProbe: { periodSeconds, failureThreshold },
    podReadySeconds,
    progressDeadlineSeconds,
  };
}
