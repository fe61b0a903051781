import type { ManagedUser } from '../domain/people/user-admin.ts';
import type { SignInLock } from '../domain/people/sign-in-locks.ts';
import { tryAgainTime } from './try-again.ts';
import { MIN_PASSWORD_LENGTH } from '../domain/people/passwords.ts';
import { PERMISSIONS, PERMISSION_LABELS } from '../domain/people/permissions.ts';

export const usersUrl = '/settings/users';
export const userUrl = (id: number, action: 'permissions' | 'disable' | 'enable' | 'password' | 'unlock') => `${usersUrl}/${id}/${action}`;

/** What the last action on a row said, shown beside the control it concerns. */
export type RowNotice = { about: 'permissions' | 'status' | 'password'; kind: 'ok' | 'error'; text: string };

function Notice({ notice, about }: { notice?: RowNotice; about: RowNotice['about'] }) {
  if (notice?.about !== about) return null;
  return notice.kind === 'ok'
    ? <p class="confirmation" role="status">{notice.text}</p>
    : <p class="error" role="alert">{notice.text}</p>;
}

/** Every action of a row posts a real form; htmx swaps the row it came from. */
function rowForm(user: ManagedUser, action: Parameters<typeof userUrl>[1]) {
  const url = userUrl(user.id, action);
  return { method: 'post' as const, action: url, 'hx-post': url, 'hx-target': `#user-${user.id}`, 'hx-swap': 'outerHTML' };
}

function PermissionsForm({ user, notice }: { user: ManagedUser; notice?: RowNotice }) {
  return (
    <form {...rowForm(user, 'permissions')} class="permissions-form">
      <fieldset>
        <legend class="visually-hidden">Permissions of {user.username}</legend>
        {PERMISSIONS.map((p) => (
          <label>
            <input type="checkbox" name="permission" value={p} checked={user.permissions.includes(p)} /> {PERMISSION_LABELS[p]}
          </label>
        ))}
      </fieldset>
      <button type="submit">Save permissions<span class="visually-hidden"> of {user.username}</span></button>
      <Notice notice={notice} about="permissions" />
    </form>
  );
}

function StatusAction({ user, self }: { user: ManagedUser; self: boolean }) {
  if (self) return <p class="meta">This is you: another administrator can disable your account.</p>;
  if (user.disabled) {
    return (
      <form {...rowForm(user, 'enable')} class="inline">
        <button type="submit" class="secondary">Enable<span class="visually-hidden"> {user.username}</span></button>
      </form>
    );
  }
  // Disabling signs the user out at once: a disclosure makes it two deliberate clicks, with or without JS.
  return (
    <details class="confirm">
      <summary>Disable<span class="visually-hidden"> {user.username}</span>…</summary>
      <p>{user.fullName} is signed out at once and cannot sign in until an administrator enables the account again.</p>
      <form {...rowForm(user, 'disable')} class="inline">
        <button type="submit" class="danger">Disable {user.username}</button>
      </form>
    </details>
  );
}

function ResetPassword({ user, self, notice }: { user: ManagedUser; self: boolean; notice?: RowNotice }) {
  const open = notice?.about === 'password' && notice.kind === 'error';
  const field = `new-password-${user.id}`;
  return (
    <details class="reset-password" open={open}>
      <summary>Reset password<span class="visually-hidden"> of {user.username}</span></summary>
      <form {...rowForm(user, 'password')} class="stack" novalidate>
        <label for={field}>New password</label>
        <input id={field} name="password" type="password" autocomplete="new-password" required
          minlength={MIN_PASSWORD_LENGTH} aria-describedby={`${field}-hint`} aria-invalid={open ? 'true' : undefined} />
        <p class="hint" id={`${field}-hint`}>
          At least {MIN_PASSWORD_LENGTH} characters, not a common password, not containing the username, at least 5 different characters.{' '}
          {self ? 'Your other sessions end at once.' : 'Their sessions end at once.'}
        </p>
        {open ? <Notice notice={notice} about="password" /> : null}
        <button type="submit">Set password</button>
      </form>
    </details>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A lock on the user's sign-in now: until when, from what, and the button that lifts it. */
function LockView({ user, lock, now }: { user: ManagedUser; lock: SignInLock; now: Date }) {
  return (
    <div class="sign-in-lock">
      <span class="badge badge-locked">Locked until {tryAgainTime(lock.until, now)}</span>
      <p class="meta">{plural(lock.failures, 'failed sign-in', 'failed sign-ins')} from {plural(lock.addresses, 'address', 'addresses')}</p>
      {/* A full post, not a row swap: the page's list of locked users above the table changes too. */}
      <form method="post" action={userUrl(user.id, 'unlock')} class="inline">
        <button type="submit" class="secondary">Lift the lock<span class="visually-hidden"> of {user.username}</span></button>
      </form>
    </div>
  );
}

/** One user's line of the Users table; the swap target of every action on that user. */
export function UserRowView({ user, actorId, notice, lock, now }: {
  user: ManagedUser; actorId: number; notice?: RowNotice; lock?: SignInLock; now: Date;
}) {
  return (
    <tr id={`user-${user.id}`} class={user.disabled ? 'disabled' : undefined}>
      <th scope="row" class="username">{user.username}</th>
      <td class="full-name">{user.fullName}</td>
      <td class="permissions"><PermissionsForm user={user} notice={notice} /></td>
      <td class="status">
        <span class={`badge badge-${user.disabled ? 'disabled' : 'active'}`}>{user.disabled ? 'Disabled' : 'Active'}</span>
        {lock ? <LockView user={user} lock={lock} now={now} /> : null}
        <Notice notice={notice} about="status" />
      </td>
      <td class="actions">
        <StatusAction user={user} self={user.id === actorId} />
        <ResetPassword user={user} self={user.id === actorId} notice={notice} />
        {notice?.kind === 'ok' ? <Notice notice={notice} about="password" /> : null}
      </td>
    </tr>
  );
}
