import type { ManagedUser } from '../domain/people/user-admin.ts';
import { Layout, type Chrome } from './layout.tsx';
import { UserRowView, usersUrl, type RowNotice } from './user-row.tsx';
import { ScrollTable } from './scroll-table.tsx';

export function UsersPage({ users, chrome, notice }: {
  users: ManagedUser[]; chrome: Chrome; notice?: { userId: number } & RowNotice;
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
              <UserRowView user={user} actorId={chrome.scope.userId}
                notice={notice?.userId === user.id ? notice : undefined} />
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </Layout>
  );
}
