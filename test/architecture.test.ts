// The house rules a newcomer relies on: the domain is grouped by context and never speaks
// HTTP; views never reach the database; no room grows past what one can read through.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const test = suite('architecture');
const ROOMS = ['audit', 'database', 'demo', 'import', 'inbox', 'panels', 'people', 'pipeline', 'registry', 'submissions', 'time'];

const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

test('src/domain holds only its rooms, each named for what a clinic calls it and under 25 files', () => {
  const entries = readdirSync('src/domain');
  assert.equal(entries.filter((e) => !statSync(join('src/domain', e)).isDirectory()), [], 'no file loose in src/domain');
  assert.equal(entries.sort(), ROOMS);
  for (const room of ROOMS) assert.ok(readdirSync(join('src/domain', room)).length <= 25, room);
});

test('tests mirror the rooms', () => {
  for (const dir of readdirSync('test/domain')) assert.ok(ROOMS.includes(dir), `test/domain/${dir} is a room`);
});

test('the domain never imports Hono, routes or views', () => {
  for (const file of walk('src/domain')) for (const spec of importsOf(file)) {
    assert.not.ok(/^hono|^@hono\//.test(spec), `${file} imports ${spec}`);
    assert.not.ok(/\/(routes|views)\//.test(spec), `${file} imports ${spec}`);
  }
});

test('views never run SQL: no database client, no statements', () => {
  for (const file of walk('src/views')) {
    for (const spec of importsOf(file)) assert.not.ok(/libsql|domain\/database\/db\.ts$/.test(spec), `${file} imports ${spec}`);
    assert.not.ok(/\.(execute|batch)\(/.test(readFileSync(file, 'utf8')), `${file} runs a statement`);
  }
});

test.run();
