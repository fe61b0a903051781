// src/threads/pool.ts: a pool being closed or released is waited for until its thread has
// stopped, even by a process with nothing else to do — an answer that arrives while the thread
// stops must not let the process end first. Run in a child process, whose early end is the
// failure.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { sharedDatabase } from '../../src/threads/pool.ts';

const pool = suite('thread pool');

const script = (how: 'close' | 'release') => `
  import { threadPool } from './src/threads/pool.ts';
  const pool = threadPool(new URL('./test/support/chatty-thread.ts', 'file://' + process.cwd() + '/'), null, { label: 'a test' });
  for (let i = 0; i < 5; i++) {
    if ((await pool.request(i)) !== i + 1) throw new Error('wrong answer');
    await new Promise((r) => setTimeout(r, 20));
    await pool.${how}();
    process.stdout.write('stopped ' + i + '; ');
  }
  console.log('done');`;

for (const how of ['close', 'release'] as const) {
  pool(`${how}() waits for the thread to stop, whatever answer arrives meanwhile`, () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(how)], { encoding: 'utf8', timeout: 60_000 });
    assert.is(child.stderr, '', child.stderr);
    assert.match(child.stdout, /stopped 4; done/, `the process ended early: "${child.stdout}"`);
  });
}

pool('only a database another thread can open is imported on a thread of its own', () => {
  assert.ok(sharedDatabase('file:db/cpar.db'));
  assert.ok(sharedDatabase('libsql://db.example:8080'));
  assert.not.ok(sharedDatabase(':memory:'));
  assert.not.ok(sharedDatabase('file::memory:'));
  assert.not.ok(sharedDatabase('file:test.db?mode=memory'));
});

pool.run();
