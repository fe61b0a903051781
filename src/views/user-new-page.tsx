import type { UserError } from '../domain/people/users.ts';
import { Layout, type Chrome } from './layout.tsx';
import { NewUserForm, type NewUserValues } from './user-form.tsx';
import { usersUrl } from './user-row.tsx';

export function NewUserPage({ chrome, values, errors }: { chrome: Chrome; values: NewUserValues; errors?: UserError[] }) {
  return (
    <Layout title="Add a user" chrome={chrome}>
      <p class="breadcrumb">Settings › <a href={usersUrl}>Users</a></p>
      <h1>Add a user</h1>
      <NewUserForm values={values} errors={errors} />
    </Layout>
  );
}
