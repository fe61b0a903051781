import type { UserError } from '../domain/people/users.ts';
import { MIN_PASSWORD_LENGTH } from '../domain/people/passwords.ts';
import { PERMISSIONS, PERMISSION_LABELS, type Permission } from '../domain/people/permissions.ts';
import { usersUrl } from './user-row.tsx';

/** What the administrator typed, kept across a 422 — never the password. */
export type NewUserValues = { username: string; fullName: string; permissions: Permission[] };

function FieldError({ id, errors, field }: { id: string; errors: UserError[]; field: UserError['field'] }) {
  const messages = errors.filter((e) => e.field === field);
  if (!messages.length) return null;
  return <p class="error" id={id}>{messages.map((e) => e.message).join(' ')}</p>;
}

function invalid(errors: UserError[], field: UserError['field'], hint?: string) {
  const has = errors.some((e) => e.field === field);
  const describedBy = [hint, has ? `${field}-error` : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': has ? 'true' : undefined, 'aria-describedby': describedBy || undefined };
}

/** The add-a-user form; with htmx a 422 swaps just this form, with the errors beside the fields. */
export function NewUserForm({ values, errors = [] }: { values: NewUserValues; errors?: UserError[] }) {
  return (
    <form id="new-user" method="post" action={usersUrl} hx-post={usersUrl} hx-target="#new-user" hx-swap="outerHTML" class="stack" novalidate>
      {errors.length ? (
        <div class="error-summary" role="alert">
          <p>Nothing was saved. Please correct:</p>
          <ul>{errors.map((e) => <li>{e.message}</li>)}</ul>
        </div>
      ) : null}
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="off" required value={values.username} {...invalid(errors, 'username')} />
      <FieldError id="username-error" errors={errors} field="username" />
      <label for="fullName">Full name</label>
      <input id="fullName" name="fullName" autocomplete="off" required value={values.fullName} {...invalid(errors, 'fullName')} />
      <FieldError id="fullName-error" errors={errors} field="fullName" />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required
        minlength={MIN_PASSWORD_LENGTH} {...invalid(errors, 'password', 'password-hint')} />
      <p class="hint" id="password-hint">
        At least {MIN_PASSWORD_LENGTH} characters, not a common password, not containing the username, at least 5 different characters. Give it to
        the user in person. {errors.length ? <strong>For safety the password is never sent back: type it again.</strong> : null}
      </p>
      <FieldError id="password-error" errors={errors} field="password" />
      <fieldset {...invalid(errors, 'permission')}>
        <legend>Permissions</legend>
        {PERMISSIONS.map((p) => (
          <label>
            <input type="checkbox" name="permission" value={p} checked={values.permissions.includes(p)} /> {PERMISSION_LABELS[p]}
          </label>
        ))}
      </fieldset>
      <FieldError id="permission-error" errors={errors} field="permission" />
      <button type="submit">Add user</button>
    </form>
  );
}
