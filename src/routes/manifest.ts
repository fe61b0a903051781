import type { Permission } from '../domain/people/permissions.ts';

/** Who may call a route: anyone, any signed-in user, or holders of one permission. */
export type Access = 'public' | 'signed-in' | Permission;

/**
 * Every route the app serves falls under exactly one of these declarations; the app applies
 * the guards from this list, and a test fails when a registered route falls under none.
 * Patterns are Hono's: `/x/*` also matches `/x`.
 */
export const ROUTE_ACCESS: { pattern: string; access: Access }[] = [
  { pattern: '/static/*', access: 'public' },
  { pattern: '/login', access: 'public' },
  // Liveness and readiness for load balancers; metrics check their own scraper (loopback or token).
  { pattern: '/healthz', access: 'public' },
  { pattern: '/readyz', access: 'public' },
  { pattern: '/metrics', access: 'public' },
  // Signing out needs no session (an expired one must still be able to clear its cookie).
  { pattern: '/logout', access: 'public' },
  { pattern: '/', access: 'signed-in' },
  { pattern: '/inbox/*', access: 'signed-in' },
  { pattern: '/settings/cii-cpar/*', access: 'cii_cpar_settings' },
  { pattern: '/settings/users/*', access: 'manage_users' },
  { pattern: '/settings/practitioners/*', access: 'manage_users' },
  { pattern: '/settings/audit-log/*', access: 'view_audit_log' },
];

function matches(pattern: string, path: string): boolean {
  if (!pattern.endsWith('/*')) return pattern === path;
  const base = pattern.slice(0, -2);
  return path === base || path.startsWith(`${base}/`);
}

/** The declaration a route path falls under, or undefined when it has none. */
export function accessFor(path: string): Access | undefined {
  const found = ROUTE_ACCESS.filter((r) => matches(r.pattern, path));
  return found.length === 1 ? found[0].access : undefined;
}
