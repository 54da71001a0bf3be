/**
 * Kubernetes name rules, checked up front so a bad name is a ValidationError naming the prop
 * rather than an API-server rejection at apply time.
 */

/** RFC 1123 label: what Deployments, ConfigMaps and most objects accept as a single-segment name. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names must also start with a letter. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** IANA service name: container and Service port names. */
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Label keys: optional DNS-subdomain prefix and a name of up to 63 characters. */
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether `name` can name a Service (and therefore every object of a ModelService). */
export function isServiceName(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && DNS1035_LABEL.test(name);
}

/** Whether `name` is an RFC 1123 label of at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return typeof name === 'string' && name.length <= 63 && DNS1123_LABEL.test(name);
}

/** Whether `name` is an RFC 1123 subdomain of at most 253 characters (namespaces excluded: those are labels). */
export function isDnsSubdomain(name: string): boolean {
  return typeof name === 'string' && name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** Whether `name` is a valid port name: at most 15 characters, lowercase, with a letter, no `--`. */
export function isPortName(name: string): boolean {
  return typeof name === 'string' && name.length <= 15 && IANA_SVC_NAME.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** Whether `key` is a valid label or annotation key (`prefix/name`). */
export function isLabelKey(key: string): boolean {
  if (typeof key !== 'string') return false;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** Whether `value` is a valid label value (empty, or up to 63 characters of `[A-Za-z0-9-_.]` starting and ending alphanumeric). */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && (value === '' || (value.length <= 63 && LABEL_NAME.test(value)));
}

/** Whether `name` is a valid environment variable name for a container. */
export function isEnvName(name: string): boolean {
  // Kubernetes also refuses ".", ".." and a ".." prefix (apimachinery's hasChDirPrefix).
  return typeof name === 'string' && /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name) && name !== '.' && !name.startsWith('..');
}

/** Allowed-values text for messages, kept in one place so every error says the same thing. */
export const NAME_RULES = {
  service: 'expected a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
  label: 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  subdomain: 'expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", starting and ending alphanumeric',
  port: 'expected a port name of at most 15 lowercase letters, digits and "-", with at least one letter, no "--", starting and ending alphanumeric',
  labelKey: 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric',
  labelValue: 'expected a label value: empty, or at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric',
  env: 'expected an environment variable name of letters, digits, "_", "-" and ".", not starting with a digit or "..", and not "."',
} as const;
