// The portal's app for the page benchmark, in its own process so autocannon does not share
// its CPU: createApp on @hono/node-server (loopback), with a session of the bench user.
//   node --import tsx scripts/bench/serve.ts <db path or URL> <port> <ISO instant> [--without-audit-patients]
// --without-audit-patients: the audit entries are written but not their rows per patient, so
// the members page can be measured with and without them (what those rows cost, issue 13).
// An entry's hash covers the rows written before it, so without them it names no patient at
// all: the entry as it was before issue 13, a count.
// Prints "BENCH-SERVER {"cookie": …}" when listening; exits on SIGTERM (writing a --cpu-prof).
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase } from '../../src/domain/database/db.ts';
import { readFromFile } from '../../src/domain/database/prepared-read.ts';
import { createSession } from '../../src/domain/people/sessions.ts';
import { cookieName } from '../../src/routes/session.ts';
import { startImportingThread } from '../../src/importer/pool.ts';
import { startUliLookup } from '../../src/scheduler/uli-lookup.ts';
import { BENCH_USER } from './scales.ts';
import type { Db } from '../../src/domain/database/db.ts';

/** The client with every batch's INSERT INTO audit_patients left out (the entry itself stays, naming no patient). */
function withoutAuditPatients(db: Db): Db {
  const named = (s: unknown) => /^\s*INSERT INTO audit_patients/.test(typeof s === 'string' ? s : (s as { sql: string }).sql);
  return new Proxy(db, {
    get(target, name) {
      if (name === 'batch') return (stmts: Parameters<Db['batch']>[0], mode?: Parameters<Db['batch']>[1]) => target.batch(stmts.filter((s) => !named(s)), mode);
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const [path, port, at, flag] = process.argv.slice(2);
// a file's path, or a libSQL server's URL (--database sqld)
const opened = await openDatabase(path.includes('://') ? path : `file:${path}`);
const db = flag === '--without-audit-patients' ? withoutAuditPatients(opened) : opened;
// The wrapper reads its session as the plain client does (prepared once), so the two members
// figures differ by the audit rows alone.
if (db !== opened && !path.includes('://')) readFromFile(db, path);
// The clock stands still: the session never idles out, and every page sees the same "now".
const clock = new ManualClock(at);
const config = loadConfig({ NODE_ENV: 'test' });
const user = (await db.execute({ sql: 'SELECT id FROM users WHERE username = ?', args: [BENCH_USER.username] })).rows[0];
if (!user) throw new Error(`no user ${BENCH_USER.username} in ${path}`);
const { token } = await createSession(db, clock, Number(user.id));
// As the portal runs: the Import page's work on its own thread — or, with
// BENCH_IMPORT_IN_PLACE=1, on the main thread (the import phase's comparison).
const importer = process.env.BENCH_IMPORT_IN_PLACE === '1' ? undefined : startImportingThread({ databaseUrl: `file:${path}` }, clock);
// As the portal's scheduler does: the audit entries' ULIs taken into the lookup every 10 s.
startUliLookup(opened, 10_000);
const app = createApp({ db, clock, config, netcareLabel: 'Netcare (not used by the page benchmark)', importer });
const server = serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, () => {
  console.log(`BENCH-SERVER ${JSON.stringify({ cookie: `${cookieName(config)}=${token}` })}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
