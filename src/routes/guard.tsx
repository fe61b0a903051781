import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { can, PERMISSION_LABELS, type Permission } from '../domain/people/permissions.ts';
import type { AppEnv } from './env.ts';
import { errorAnswer } from './error-answer.tsx';
import { audit } from './audit.ts';

/** A signed-in user without the permission gets a 403, on pages, fragments and POSTs alike. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (can(c.var.scope, permission)) return next();
    await audit(c, { action: 'denied', objectType: 'permission', objectId: permission });
    const message = `This needs the “${PERMISSION_LABELS[permission]}” permission. Ask an administrator if you need it.`;
    return errorAnswer(c, 403, message);
  });
}
