import { Problems } from '../errors';
import { EnvVar } from '../k8s-types';
import { isDnsSubdomain, isEnvName, isLabelKey, NAME_RULES } from '../names';

/**
 * How the artifact fetcher authenticates. Never inline secrets: credentials are either a
 * reference to a Kubernetes Secret (its keys become environment variables of the init
 * container only) or annotations on the ServiceAccount for workload identity (IRSA on EKS,
 * Workload Identity on GKE), which needs no secret at all.
 */
export abstract class ArtifactCredentials {
  /**
   * Environment variables taken from keys of an existing Secret, e.g.
   * `fromSecret("s3-reader", { AWS_ACCESS_KEY_ID: "access-key", AWS_SECRET_ACCESS_KEY: "secret-key" })`.
   *
   * @param secretName the Secret in the service's namespace
   * @param env environment variable name → key in the Secret
   */
  public static fromSecret(secretName: string, env: Record<string, string>): ArtifactCredentials {
    return new SecretCredentials(secretName, env);
  }

  /**
   * Annotations for the ServiceAccount, e.g. `{ "eks.amazonaws.com/role-arn": "arn:aws:iam::…" }` or
   * `{ "iam.gke.io/gcp-service-account": "reader@project.iam.gserviceaccount.com" }`.
   */
  public static fromServiceAccountAnnotations(annotations: Record<string, string>): ArtifactCredentials {
    return new WorkloadIdentityCredentials(annotations);
  }

  /** Environment variables for the fetching init container. */
  public abstract env(): EnvVar[];
  /** Annotations for the ServiceAccount. */
  public abstract serviceAccountAnnotations(): Record<string, string>;
  /** Records problems under `prop`. */
  public abstract validate(problems: Problems, prop: string): void;
}

class SecretCredentials extends ArtifactCredentials {
  public constructor(private readonly secretName: string, private readonly mapping: Record<string, string>) {
    super();
  }
  public env(): EnvVar[] {
    return Object.entries(this.mapping).map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: this.secretName, key } } }));
  }
  public serviceAccountAnnotations(): Record<string, string> {
    return {};
  }
  public validate(problems: Problems, prop: string): void {
    const p = problems.at(prop);
    if (!isDnsSubdomain(this.secretName)) p.add('secretName', this.secretName, NAME_RULES.subdomain);
    const entries = Object.entries(this.mapping ?? {});
    if (entries.length === 0) p.add('env', this.mapping, 'expected at least one environment variable mapped to a key of the Secret');
    for (const [name, key] of entries) {
      if (!isEnvName(name)) p.add(`env.${name}`, name, NAME_RULES.env);
      if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) p.add(`env.${name}`, key, 'expected a Secret key of letters, digits, "-", "_" and "."');
    }
  }
}

class WorkloadIdentityCredentials extends ArtifactCredentials {
  public constructor(private readonly annotations: Record<string, string>) {
    super();
  }
  public env(): EnvVar[] {
    return [];
  }
  public serviceAccountAnnotations(): Record<string, string> {
    return { ...this.annotations };
  }
  public validate(problems: Problems, prop: string): void {
    const p = problems.at(prop);
    const keys = Object.keys(this.annotations ?? {});
    if (keys.length === 0) p.add('annotations', this.annotations, 'expected at least one ServiceAccount annotation');
    for (const key of keys) {
      if (!isLabelKey(key)) p.add(`annotations.${key}`, key, NAME_RULES.labelKey);
      if (typeof this.annotations[key] !== 'string') p.add(`annotations.${key}`, this.annotations[key], 'expected a string value');
    }
  }
}
