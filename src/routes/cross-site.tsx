import type { MiddlewareHandler } from 'hono';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppEnv } from './env.ts';

/**
 * Refuses a request the browser says another site started (`Sec-Fetch-Site: cross-site`),
 * before it is answered or audited: what leaves the portal (an export) must come from a
 * click on the portal's own page, even when an Origin header claims so or is missing.
 */
export const refuseCrossSite: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header('Sec-Fetch-Site') === 'cross-site') {
    return page(c, <ErrorPage status={403} message="This request came from another site, so nothing was exported." chrome={c.var.chrome} />, 403);
  }
  await next();
};
