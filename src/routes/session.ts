import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { loadSignedIn } from '../domain/people/signed-in.ts';
import { ABSOLUTE_LIFETIME_MS, type Session } from '../domain/people/sessions.ts';
import type { AppEnv } from './env.ts';
import type { Config } from '../config.ts';

export function cookieName(config: Config): string {
  return config.cookieSecure ? '__Host-session' : 'session';
}

export function setSessionCookie(c: Context, config: Config, token: string, session: Session): void {
  setCookie(c, cookieName(config), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.cookieSecure,
    path: '/',
    // The server enforces the idle timeout; the cookie only needs to outlive the session.
    expires: new Date(session.createdAt + ABSOLUTE_LIFETIME_MS),
  });
}

export function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, cookieName(config), { path: '/', secure: config.cookieSecure });
}

/**
 * Every route behind this needs a live session of an enabled user. Without one: a redirect
 * to /login (HX-Redirect for htmx). The user's permissions are read afresh on each request,
 * so a change takes effect on the next one.
 */
export const requireSession: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const { db, clock, config } = c.var.deps;
  const token = getCookie(c, cookieName(config));
  const signedIn = token ? await loadSignedIn(db, clock, token) : null;
  if (!signedIn) {
    if (token) clearSessionCookie(c, config);
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', '/login');
      return c.body(null, 401);
    }
    const next = c.req.method === 'GET' ? `?next=${encodeURIComponent(new URL(c.req.url).pathname)}` : '';
    return c.redirect(`/login${next}`, 302);
  }
  const { session, scope, unread } = signedIn;
  c.set('session', session);
  // A GET shows the data as it is; the version read with the session serves its kept pages
  // (a POST reads it again after its change).
  c.set('dataVersion', c.req.method === 'GET' || c.req.method === 'HEAD' ? signedIn.dataVersion : undefined);
  c.set('scope', scope);
  const diskLow = c.var.deps.disk?.low();
  c.set('chrome', { scope, unread, netcare: c.var.deps.netcareLabel, ...(diskLow ? { diskLow } : {}) });
  await next();
});
