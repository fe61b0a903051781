import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';

export const submissionHistoryRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'));
