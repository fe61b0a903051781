import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { PORTAL_NODE_FLAGS } from '../scripts/bench/processes.ts';

// The bench measures the portal as `npm start` runs it: the same V8 flags on both.
const flags = suite('the portal’s V8 flags');

flags('npm start passes the flags the bench runs the portal with', () => {
  const start: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start;
  const passed = start.match(/\btsx ((?:--\S+ )*)src\/server\.ts/)?.[1].trim().split(' ').filter(Boolean);
  assert.ok(passed, `npm start runs src/server.ts through tsx: ${start}`);
  assert.equal(passed, PORTAL_NODE_FLAGS);
});

flags.run();
