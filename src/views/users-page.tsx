import type { ManagedUser } from '../domain/people/user-admin.ts';
import type { SignInLock } from '../domain/people/sign-in-locks.ts';
import { tryAgainTime } from './try-again.ts';
import { Layout, type Chrome } from './layout.tsx';
import { UserRowView, usersUrl, type RowNotice } from './user-row.tsx';
import { ScrollTable } from './scroll-table.tsx';

const lockOf = (locks: Map<string, SignInLock>, user: ManagedUser) => locks.get(user.username.toLowerCase());

/** Who cannot sign in now because of failed attempts, said before the table. */
function LockedUsers({ users, locks, now }: { users: ManagedUser[]; locks: Map<string, SignInLock>; now: Date }) {
  const locked = users.filter((u) => lockOf(locks, u));
  if (!locked.length) return null;
  return (
    <div id="locked-users" role="status">
      <p>Locked out of sign-in now after failed attempts (an administrator can lift a lock below):</p>
      <ul>{locked.map((u) => <li><a href={`#user-${u.id}`}>{u.username}</a> until {tryAgainTime(lockOf(locks, u)!.until, now)}</li>)}</ul>
    </div>
  );
}

export function UsersPage({ users, chrome, notice, locks, now }: {
  users: ManagedUser[]; chrome: Chrome; notice?: { userId: number } & RowNotice; locks: Map<string, SignInLock>; now: Date;
}) {
  return (
    <Layout title="Users" chrome={chrome}>
      <p class="breadcrumb">Settings</p>
      <h1>Users</h1>
      <p class="lead">
        A change of permissions takes effect on the user’s next request. Disabling a user or
        resetting their password signs them out at once. At least one enabled user must keep
        the “Modify user permissions” permission.
      </p>
      <LockedUsers users={users} locks={locks} now={now} />
      <p><a href={`${usersUrl}/new`} id="add-user" class="button">Add a user</a></p>
      <ScrollTable label="Users">
        <table id="users">
          <caption class="visually-hidden">Users of the portal and their permissions</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Full name</th>
              <th scope="col">Permissions</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRowView user={user} actorId={chrome.scope.userId} lock={lockOf(locks, user)} now={now}
                notice={notice?.userId === user.id ? notice : undefined} />
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </Layout>
  );
}
