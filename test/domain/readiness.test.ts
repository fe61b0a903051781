import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/clock.ts';
import { seedDemo } from '../../src/domain/demo-seed.ts';
import { extractPanel } from '../../src/domain/extraction.ts';
import { readinessOfCparPanels } from '../../src/domain/readiness.ts';
import { validatePanel } from '../../src/domain/validation.ts';
import { freshDb } from '../support/app.ts';

const readiness = suite('readiness');

readiness('for every panel of the demo clinic, readiness is exactly the pipeline’s validation', async () => {
  const db = await freshDb();
  const now = new Date('2026-11-26T12:00:00-07:00');
  await seedDemo(db, new ManualClock(now));
  // Make it harder: a visit after today and an ineligible unconfirmed patient must not count.
  await db.execute("INSERT INTO visits (patient_id, practitioner_id, visit_date) SELECT patient_id, 1, '2026-12-01' FROM panel_members LIMIT 3");
  const all = await readinessOfCparPanels(db, now);
  assert.ok(all.size >= 9);
  let failing = 0;
  for (const [panelId, validation] of all) {
    const expected = validatePanel((await extractPanel(db, panelId, now))!);
    assert.equal(validation, expected, `panel ${panelId}`);
    if (!validation.ok) failing++;
  }
  assert.ok(failing >= 5, 'the demo’s failing panels fail');
  const some = [...all.keys()].slice(0, 2);
  const chosen = await readinessOfCparPanels(db, now, some);
  assert.equal([...chosen.keys()].sort(), [...some].sort());
});

readiness.run();
