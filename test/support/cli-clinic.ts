import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { cli, tempDir } from './processes.ts';

// The example clinic in a file database, run by the CLI in its own processes against a
// Netcare at `netcareUrl` (a simulator process), with short timeouts so faults end quickly.
export const RUN = '2027-03-15T21:00:00-06:00';
export const FAST = { NETCARE_TIMEOUT_MS: '300', NETCARE_RETRY_BUDGET_MS: '1500' };
/**
 * For runs where Netcare answers (an error, or well): a timeout no answer can miss on a loaded
 * machine, so an answer is never mistaken for a send left unanswered.
 */
export const ANSWERED = { NETCARE_TIMEOUT_MS: '2000', NETCARE_RETRY_BUDGET_MS: '3000' };

export async function cliClinic(name: string, netcareUrl: string, extra: Record<string, string> = {}) {
  const env = { DATABASE_URL: `file:${join(tempDir(`${name}-`), 'cpar.db')}`, NETCARE_URL: netcareUrl, ...FAST, ...extra };
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
  return {
    env,
    /** `tick --at` in a process of its own; returns what it printed */
    async tick(at: string, timeouts: Record<string, string> = {}): Promise<string> {
      const tick = cli(['tick', '--at', at], { ...env, ...timeouts });
      assert.is(await tick.exited, 0, tick.err());
      return tick.out();
    },
    async withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const db = await openDatabase(env.DATABASE_URL);
      try {
        return await work(db);
      } finally {
        db.close();
      }
    },
  };
}

/** The two valid panels' submissions, oldest first: lee-main has a failure recipient, okoye-riverside none. */
export async function validPanels(db: Db) {
  return (await db.execute(`SELECT p.key, s.id, s.status, s.brief_error, s.netcare_reference, s.automatic_retry, s.retry_of,
        (SELECT count(*) FROM inbox_messages m WHERE m.submission_id = s.id AND m.kind = 'failure') AS messages
      FROM submissions s JOIN panels p ON p.id = s.panel_id WHERE p.key IN ('lee-main', 'okoye-riverside') ORDER BY p.key, s.id`)).rows;
}
