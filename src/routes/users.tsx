import { Hono } from 'hono';
import { addUser, disableUser, enableUser, getUser, listUsers, parsePermissions, resetPassword, setPermissions,
  type AdminRefusal, type AdminResult, type ManagedUser } from '../domain/people/user-admin.ts';
import { isPermission, type Permission } from '../domain/people/permissions.ts';
import { liftSignInLock, listSignInLocks, signInLockOf } from '../domain/people/sign-in-locks.ts';
import { UsersPage } from '../views/users-page.tsx';
import { UserRowView, usersUrl, type RowNotice } from '../views/user-row.tsx';
import { NewUserForm, type NewUserValues } from '../views/user-form.tsx';
import { NewUserPage } from '../views/user-new-page.tsx';
import { errorAnswer } from './error-answer.tsx';
import { page, wantsFragment, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { oneOf, recordId } from './query.ts';

const NOT_FOUND = 'There is no user with that number.';
const LAST_ADMIN = 'the last enabled user who can modify user permissions';

// What each action says once done; also shown after a redirect without JavaScript (?user=&done=).
const DONE = {
  added: { about: 'status', text: () => 'Added: they can sign in now.' },
  permissions: { about: 'permissions', text: (u: ManagedUser) => `Saved. This applies from ${u.username}’s next request.` },
  unchanged: { about: 'permissions', text: () => 'Nothing to save: the permissions were already these.' },
  disabled: { about: 'status', text: (u: ManagedUser) => `Disabled: ${u.username} was signed out and cannot sign in.` },
  enabled: { about: 'status', text: (u: ManagedUser) => `Enabled: ${u.username} can sign in again.` },
  password: { about: 'password', text: (u: ManagedUser, self: boolean) => self
    ? 'Password set; your other sessions were ended.' : `Password set; ${u.username} was signed out everywhere.` },
  unlocked: { about: 'status', text: (u: ManagedUser) => `Lock lifted: ${u.username} can sign in now.` },
  'not-locked': { about: 'status', text: (u: ManagedUser) => `${u.username} is not locked out: nothing to lift.` },
} as const satisfies Record<string, { about: RowNotice['about']; text: (u: ManagedUser, self: boolean) => string }>;
type Done = keyof typeof DONE;

function done(c: AppContext, what: Done, user: ManagedUser): RowNotice {
  return { about: DONE[what].about, kind: 'ok', text: DONE[what].text(user, user.id === c.var.scope.userId) };
}

function userId(c: AppContext): number | null {
  const id = Number(c.req.param('userId'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}

async function formOf(c: AppContext) {
  const body = await c.req.parseBody({ all: true });
  return { text: (name: string) => strings(body[name])[0] ?? '', all: (name: string) => strings(body[name]) };
}

function notFound(c: AppContext) {
  return errorAnswer(c, 404, NOT_FOUND);
}

async function listPage(c: AppContext, notice?: { userId: number } & RowNotice, status: 200 | 409 | 422 = 200) {
  const { db, clock } = c.var.deps;
  const [users, locks] = await Promise.all([listUsers(db), listSignInLocks(db, clock)]);
  return page(c, <UsersPage users={users} chrome={c.var.chrome} notice={notice} locks={locks} now={clock.now()} />, status);
}

/**
 * The answer to an action on one row: with htmx the row itself (a refusal is a 4xx row with
 * the message, which htmx 4 swaps too); without JavaScript a 303 back to the list, or the
 * list re-rendered with the message on that row.
 */
async function rowAnswer(c: AppContext, user: ManagedUser, notice: RowNotice, status: 200 | 409 | 422, what?: Done) {
  if (wantsFragment(c)) {
    const { db, clock } = c.var.deps;
    const lock = await signInLockOf(db, clock, user);
    return c.html(<UserRowView user={user} actorId={c.var.scope.userId} notice={notice} lock={lock} now={clock.now()} />, status);
  }
  if (status === 200 && what) return c.redirect(`${usersUrl}?user=${user.id}&done=${what}#user-${user.id}`, 303);
  return listPage(c, { userId: user.id, ...notice }, status);
}

/** Answers a domain result: audit a real change, explain a refusal. */
async function answerResult(c: AppContext, result: AdminResult, what: Done, refusal: (user: ManagedUser, reason: AdminRefusal) => string) {
  if (!result.ok && result.reason === 'not_found') return notFound(c);
  if (!result.ok) return rowAnswer(c, result.user!, { about: DONE[what].about, kind: 'error', text: refusal(result.user!, result.reason) }, 409);
  if (result.changed) await audit(c, { action: 'edit', objectType: 'user', objectId: result.user.id });
  const shown: Done = result.changed || what !== 'permissions' ? what : 'unchanged';
  return rowAnswer(c, result.user, done(c, shown, result.user), 200, shown);
}

const NO_VALUES: NewUserValues = { username: '', fullName: '', permissions: [] };

export const usersRoutes = new Hono<AppEnv>()
  .use(requirePermission('manage_users'))
  .get('/', async (c) => {
    const what = oneOf(c.req.query('done'), Object.keys(DONE) as Done[]);
    const id = recordId(c.req.query('user'));
    const user = what && id ? await getUser(c.var.deps.db, id) : null;
    return listPage(c, user && what ? { userId: user.id, ...done(c, what, user) } : undefined);
  })
  .get('/new', (c) => page(c, <NewUserPage chrome={c.var.chrome} values={NO_VALUES} />))
  .post('/', async (c) => {
    const { db, clock } = c.var.deps;
    const form = await formOf(c);
    const named = [...new Set(form.all('permission'))]; // a name ticked twice is granted once
    const values: NewUserValues = { username: form.text('username').trim(), fullName: form.text('fullName').trim(), permissions: named.filter(isPermission) };
    // All the names go to the domain, which refuses one that is not a permission.
    const result = await addUser(db, clock, c.var.scope, { ...values, password: form.text('password'), permissions: named as Permission[] });
    if (!result.ok) {
      if (wantsFragment(c)) return c.html(<NewUserForm values={values} errors={result.errors} />, 422);
      return page(c, <NewUserPage chrome={c.var.chrome} values={values} errors={result.errors} />, 422);
    }
    await audit(c, { action: 'create', objectType: 'user', objectId: result.id });
    const listed = `${usersUrl}?user=${result.id}&done=added#user-${result.id}`;
    // htmx: a full navigation to the list (a followed 303 would swap the whole list into the form).
    if (wantsFragment(c)) {
      c.header('HX-Redirect', listed);
      return c.body(null, 204);
    }
    return c.redirect(listed, 303);
  })
  .post('/:userId{[0-9]+}/permissions', async (c) => {
    const id = userId(c);
    if (id === null) return notFound(c);
    const { permissions, unknown } = parsePermissions((await formOf(c)).all('permission'));
    if (unknown.length) {
      const user = await getUser(c.var.deps.db, id);
      if (!user) return notFound(c);
      return rowAnswer(c, user, { about: 'permissions', kind: 'error', text: `Unknown permission “${unknown[0]}”. Nothing was changed.` }, 422);
    }
    const result = await setPermissions(c.var.deps.db, c.var.scope, id, permissions);
    return answerResult(c, result, 'permissions', (u) => u.id === c.var.scope.userId
      ? `You are ${LAST_ADMIN}, so you cannot remove it from yourself: give it to another user first. Nothing was changed.`
      : `${u.username} is ${LAST_ADMIN}, so it cannot be removed. Nothing was changed.`);
  })
  .post('/:userId{[0-9]+}/disable', async (c) => {
    const id = userId(c);
    if (id === null) return notFound(c);
    const result = await disableUser(c.var.deps.db, c.var.deps.clock, c.var.scope, id);
    return answerResult(c, result, 'disabled', (u, reason) => reason === 'self'
      ? 'You cannot disable your own account. Another administrator can. Nothing was changed.'
      : `${u.username} is ${LAST_ADMIN}, so they cannot be disabled: give the permission to another user first. Nothing was changed.`);
  })
  .post('/:userId{[0-9]+}/enable', async (c) => {
    const id = userId(c);
    if (id === null) return notFound(c);
    return answerResult(c, await enableUser(c.var.deps.db, c.var.scope, id), 'enabled', () => '');
  })
  .post('/:userId{[0-9]+}/password', async (c) => {
    const id = userId(c);
    if (id === null) return notFound(c);
    const password = (await formOf(c)).text('password');
    const result = await resetPassword(c.var.deps.db, c.var.scope, id, password, c.var.session.id);
    if (!result.ok && result.reason === 'policy') {
      return rowAnswer(c, result.user, { about: 'password', kind: 'error', text: `${result.message} The password was not changed.` }, 422);
    }
    return answerResult(c, result as AdminResult, 'password', () => '');
  })
  // Failed sign-ins locked the user out (from some address or all): an administrator lets them in at once.
  .post('/:userId{[0-9]+}/unlock', async (c) => {
    const id = userId(c);
    if (id === null) return notFound(c);
    const result = await liftSignInLock(c.var.deps.db, c.var.deps.clock, c.var.scope, id);
    if (!result.ok) return notFound(c);
    if (result.lifted) await audit(c, { action: 'delete', objectType: 'sign_in_lock', objectId: id });
    const what: Done = result.lifted ? 'unlocked' : 'not-locked';
    return rowAnswer(c, result.user, done(c, what, result.user), 200, what);
  });
