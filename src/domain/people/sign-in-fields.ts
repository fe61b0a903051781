// Sign-in fields are capped before anything else looks at them: a longer value is never
// hashed (argon2 reads all of it) nor echoed back into the page.
export const USERNAME_MAX = 256;
export const PASSWORD_MAX = 1024;

/** Why the fields cannot be a sign-in, or null when they are within their caps. */
export function signInFieldsProblem(username: string, password: string): string | null {
  if (username.length > USERNAME_MAX) return `Usernames are at most ${USERNAME_MAX} characters.`;
  if (password.length > PASSWORD_MAX) return `Passwords are at most ${PASSWORD_MAX.toLocaleString('en-CA')} characters.`;
  return null;
}
