import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { authenticate, loadScope } from '../domain/people/users.ts';
import { recordAudit } from '../domain/audit/audit.ts';
import { markSignInSucceeded, reserveSignInAttempt } from '../domain/people/sign-in-throttle.ts';
import { signInAddress } from './sign-in-address.ts';
import { safeNext } from './safe-next.ts';
import { signInFieldsProblem, USERNAME_MAX } from '../domain/people/sign-in-fields.ts';
import { createSession, deleteSessionByToken } from '../domain/people/sessions.ts';
import { LoginPage } from '../views/login-page.tsx';
import { tooManyAttempts } from '../views/try-again.ts';
import { page, type AppEnv } from './env.ts';
import { clearSessionCookie, cookieName, setSessionCookie } from './session.ts';

const BAD_SIGN_IN = 'The username or password is not correct.';

export const authRoutes = new Hono<AppEnv>()
  .get('/login', (c) => page(c, <LoginPage next={c.req.query('next')} />))
  .post('/login', async (c) => {
    const { db, clock, config } = c.var.deps;
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const next = safeNext(form.next, new URL(c.req.url).origin);
    const tooLong = signInFieldsProblem(username, password);
    if (tooLong) {
      const shown = username.length > USERNAME_MAX ? '' : username;
      return page(c, <LoginPage username={shown} error={tooLong} next={next === '/' ? undefined : next} />, 422);
    }
    const address = signInAddress(c);
    // The attempt is recorded before the password is checked; a refused one is never checked,
    // so guessing gains nothing while it lasts. Known and unknown usernames go the same way.
    const attempt = await reserveSignInAttempt(db, clock, username, address);
    const userId = attempt.ok && username && password ? await authenticate(db, username, password) : null;
    const scope = userId === null ? null : await loadScope(db, userId);
    if (scope && attempt.ok) await markSignInSucceeded(db, attempt.attemptId);
    await recordAudit(db, clock, scope, {
      action: scope ? 'sign-in' : 'sign-in failed', route: 'POST /login', requestId: c.var.requestId,
      objectType: attempt.ok ? undefined : 'throttled',
    }, username.slice(0, 64));
    const shownNext = next === '/' ? undefined : next;
    if (!attempt.ok) {
      const now = clock.now();
      c.header('Retry-After', String(Math.max(1, Math.ceil((attempt.until.getTime() - now.getTime()) / 1000))));
      return page(c, <LoginPage username={username} error={tooManyAttempts(attempt.until, now)} next={shownNext} />, 429);
    }
    if (userId === null) return page(c, <LoginPage username={username} error={BAD_SIGN_IN} next={shownNext} />, 401);
    // A session planted before sign-in is dropped: the user gets a brand-new token.
    const planted = getCookie(c, cookieName(config));
    if (planted) await deleteSessionByToken(db, planted);
    const { token, session } = await createSession(db, clock, userId);
    setSessionCookie(c, config, token, session);
    return c.redirect(next, 303);
  })
  .post('/logout', async (c) => {
    const { db, config } = c.var.deps;
    const token = getCookie(c, cookieName(config));
    // Only the holder of the secret may end a session: an id alone deletes nothing (issue 13).
    if (token) await deleteSessionByToken(db, token);
    clearSessionCookie(c, config);
    return c.redirect('/login', 303);
  });
