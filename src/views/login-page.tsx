import { Document } from './layout.tsx';
import { PASSWORD_MAX, USERNAME_MAX } from '../domain/people/sign-in-fields.ts';

export function LoginPage({ username = '', error, next }: { username?: string; error?: string; next?: string }) {
  return (
    <Document title="Sign in">
      <main id="main" class="narrow">
        <h1>Sign in to the CPAR portal</h1>
        {error ? <p class="error" role="alert" id="login-error">{error}</p> : null}
        <form method="post" action="/login" class="stack">
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" required maxlength={USERNAME_MAX} value={username} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={PASSWORD_MAX} />
          <button type="submit">Sign in</button>
        </form>
      </main>
    </Document>
  );
}
