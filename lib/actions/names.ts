// What an operator's action may name, checked before anything is read or written: Kubernetes
// names as the API server itself validates them (apimachinery's IsDNS1123Label for namespaces,
// IsDNS1123Subdomain for object names). Pure.
import { BadInput } from "../errors";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `value` is not a namespace (a DNS-1123 label), or null when it is one. */
export function namespaceProblem(value: string): string | null {
  if (value.length > 63) return "must be at most 63 characters";
  if (!LABEL.test(value))
    return "must be a Kubernetes namespace: lower-case letters, digits and '-', starting and ending with a letter or digit";
  return null;
}

/** Why `value` is not an object name (a DNS-1123 subdomain), or null when it is one. */
export function nameProblem(value: string): string | null {
  if (value.length > 253) return "must be at most 253 characters";
  if (!SUBDOMAIN.test(value))
    return "must be a Kubernetes name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  return null;
}

/** BadInput naming the first field that is not a Kubernetes name. */
export function assertNames(input: { namespace: string; name: string }): void {
  const ns = namespaceProblem(input.namespace);
  if (ns) throw new BadInput(`namespace ${JSON.stringify(input.namespace)} ${ns}`);
  const name = nameProblem(input.name);
  if (name) throw new BadInput(`name ${JSON.stringify(input.name)} ${name}`);
}
