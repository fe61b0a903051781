import { Hono, type Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { timingSafeEqual } from 'node:crypto';
import type { AppEnv } from './env.ts';
import { clientAddress } from './client-address.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The route pattern a request matched (its handler's, not a guard's), or 'unmatched'. */
export function routeLabel(c: Context): string {
  const handler = matchedRoutes(c).filter((r) => r.method !== 'ALL').at(-1);
  return handler ? handler.path : 'unmatched';
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * /metrics answers a scraper on this machine (a loopback peer with no forwarding header: a
 * reverse proxy on the same machine forwards from loopback too) or one with the bearer token.
 */
function mayScrape(c: Context<AppEnv>): boolean {
  const token = c.var.deps.config.metricsToken;
  const auth = c.req.header('Authorization');
  if (token && auth?.startsWith('Bearer ') && sameToken(auth.slice('Bearer '.length), token)) return true;
  const forwarded = c.req.header('Forwarded') ?? c.req.header('X-Forwarded-For');
  return !forwarded && LOOPBACK.has(clientAddress(c));
}

/** Liveness, readiness and metrics: JSON or Prometheus text, no session, no health information. */
export const serviceRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'alive' }))
  .get('/readyz', async (c) => {
    const health = c.var.deps.service?.health;
    if (!health) return c.json({ status: 'not ready', checks: {} }, 503);
    const { ready, checks } = await health.readiness();
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  })
  .get('/metrics', async (c) => {
    const metrics = c.var.deps.service?.metrics;
    if (!mayScrape(c)) return c.text('Metrics are served to this machine or with the bearer token only.\n', 403);
    if (!metrics) return c.text('No metrics in this process.\n', 404);
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
