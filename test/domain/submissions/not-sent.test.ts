import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { prepareHere, type PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { messageFromSnapshot } from '../../../src/netcare/encode.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { simRequests, startTestSimulator } from '../../netcare/support/simulator.ts';
import { addUser, count, freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// A panel the portal's own message check refuses is not sent, and is not called a rejection
// by Netcare. The rules are meant to catch everything first; this is the wording for when
// they do not: the message check finding a problem the rules passed, made to happen here.
const notSent = suite('refused before sending');

notSent('a panel the message check refuses: "Not sent", nothing reaches Netcare, nothing audited as sent, no retry', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-15T21:00:00-06:00');
  const simulator = await startTestSimulator({ clock });
  try {
    const netcare = adapt(simulator.url, 'test simulator', 'not-sent', { retryBudgetMs: 800, timeoutMs: 300, baseDelayMs: 20 });
    const deps: PipelineDeps = { db, clock, netcare, workerId: 'worker-a' };
    deps.prepare = async (panelId, submissionId, runAt) => {
      const prepared = (await prepareHere(deps)(panelId, submissionId, runAt))!;
      const message = messageFromSnapshot((await extractPanel(db, panelId, runAt))!, submissionId);
      return { ...prepared, send: () => netcare.sendMessage({ ...message, problems: ['name: must be 1 to 255 characters'] }, submissionId) };
    };
    const recipient = await addUser(db, 'jsmith');
    await addClinicPanel(db, { name: 'Checked', patients: 2, recipient });
    await tick(deps);
    const rows = (await db.execute('SELECT status, brief_error FROM submissions')).rows;
    assert.equal(rows.map((r) => [r.status, r.brief_error]), [
      ['Failed', 'Not sent: the panel failed the portal’s own check before sending (name: must be 1 to 255 characters).'],
    ]);
    assert.is(await count(db, "SELECT count(*) FROM submission_problems WHERE reason = 'message_check'"), 1);
    assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'submit'"), 0);
    assert.is((await simRequests(simulator.url)).length, 0);
    const body = String((await db.execute('SELECT body FROM inbox_messages')).rows[0].body);
    assert.not.match(body, /Netcare rejected|retried automatically/);
  } finally {
    await simulator.close();
    db.close();
  }
});

notSent.run();
