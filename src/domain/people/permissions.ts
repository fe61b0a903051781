export const PERMISSIONS = ['cii_cpar_settings', 'manage_users', 'view_audit_log'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  cii_cpar_settings: 'CII/CPAR settings',
  manage_users: 'Modify user permissions',
  view_audit_log: 'View the audit log',
};

/** The acting user: every domain function that acts for someone takes this first. */
export type Scope = {
  userId: number;
  username: string;
  fullName: string;
  permissions: ReadonlySet<Permission>;
};

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

export function can(scope: Scope, permission: Permission): boolean {
  return scope.permissions.has(permission);
}
