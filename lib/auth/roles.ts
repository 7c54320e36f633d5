// Roles and how people get them: everyone signed in is a viewer, SSO groups map to the other
// roles through SHIPLOG_ROLE_GROUPS, and admin implies every role. `viewer=` groups, when given,
// are who may sign in at all. Pure: no config, no I/O.

export const ROLES = ["viewer", "approver", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** The roles a group can grant; viewer needs no group. */
export const GRANTABLE_ROLES = ["approver", "operator", "admin"] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** Role → the groups that grant it (from SHIPLOG_ROLE_GROUPS); `viewer`: who may sign in. */
export type RoleGroups = Record<Role, string[]>;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Everything `granted` amounts to, in ROLES order: viewer always, admin brings every role. */
export function effectiveRoles(granted: readonly string[]): Role[] {
  const all = granted.includes("admin");
  return ROLES.filter((role) => role === "viewer" || all || granted.includes(role));
}

/** Whether someone holding `roles` may act as `role`; admin may do everything. */
export function hasRole(roles: readonly string[], role: Role): boolean {
  return role === "viewer" || roles.includes(role) || roles.includes("admin");
}

/** The effective roles a set of SSO groups grants. Group names match exactly. */
export function rolesFromGroups(groups: readonly string[], mapping: RoleGroups): Role[] {
  const have = new Set(groups);
  return effectiveRoles(
    GRANTABLE_ROLES.filter((role) => mapping[role].some((group) => have.has(group))),
  );
}

/**
 * Whether someone in `groups` may sign in: always when no `viewer=` groups are configured, else
 * only with one of them or with a group that grants a higher role.
 */
export function maySignIn(groups: readonly string[], mapping: RoleGroups): boolean {
  if (mapping.viewer.length === 0) return true;
  const have = new Set(groups);
  return ROLES.some((role) => mapping[role].some((group) => have.has(group)));
}

/** For each group, the roles it grants under `mapping` (for the admin's user list). */
export function grantsOf(group: string, mapping: RoleGroups): Role[] {
  return ROLES.filter((role) => mapping[role].includes(group));
}

/**
 * The groups in an ID token: the `groups` claim (Keycloak, Dex, Authentik …), else GitLab's
 * `groups_direct`. Anything that is not a list of strings counts as no groups.
 */
export function groupsFromClaims(claims: Record<string, unknown>): string[] {
  const raw = Array.isArray(claims.groups) ? claims.groups : claims.groups_direct;
  if (!Array.isArray(raw)) return [];
  return [...new Set(raw.filter((g): g is string => typeof g === "string" && g !== ""))];
}
