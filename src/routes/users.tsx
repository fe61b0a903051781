import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';

export const usersRoutes = new Hono<AppEnv>()
  .use(requirePermission('manage_users'));
