import type { DemoUser } from './domain/demo/demo-seed.ts';

/** The one-time console notice with the demo users' generated passwords. */
export function formatDemoUsers(users: DemoUser[]): string {
  const width = Math.max(...users.map((u) => u.username.length));
  return [
    'Demo clinic created. Sign in with one of these (shown only this once):',
    ...users.map((u) => `  ${u.username.padEnd(width)}  ${u.password}  — ${u.fullName}, ${u.role}`),
  ].join('\n');
}
