import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSimulatorConfig, SimulatorConfigError } from '../../src/netcare-sim/config.ts';
import { parseFault } from '../../src/netcare-sim/fault.ts';

const config = suite('standalone simulator configuration');

config('defaults', () => {
  assert.equal(loadSimulatorConfig({}), { port: 3100, databaseUrl: 'file:db/netcare-sim.db', confirmDelayMs: 60_000, fault: 'none',
    registry: { seed: 2026, mismatchShare: 0.02, conflictShare: 0.03 } });
});

config('values from the environment', () => {
  assert.equal(loadSimulatorConfig({
    NETCARE_SIM_PORT: '3200', NETCARE_SIM_DATABASE_URL: 'file:/tmp/sim.db', NETCARE_SIM_CONFIRM_DELAY_MS: '0', NETCARE_SIM_FAULT: '429',
    NETCARE_SIM_REGISTRY_SEED: '7', NETCARE_SIM_MISMATCH_SHARE: '0.5', NETCARE_SIM_CONFLICT_SHARE: '1',
  }), { port: 3200, databaseUrl: 'file:/tmp/sim.db', confirmDelayMs: 0, fault: '429', registry: { seed: 7, mismatchShare: 0.5, conflictShare: 1 } });
});

for (const [name, value] of [['NETCARE_SIM_PORT', '0'], ['NETCARE_SIM_PORT', 'http'], ['NETCARE_SIM_DATABASE_URL', 'db/sim.db'],
  ['NETCARE_SIM_CONFIRM_DELAY_MS', '-5'], ['NETCARE_SIM_CONFIRM_DELAY_MS', '1.5'], ['NETCARE_SIM_FAULT', 'down'],
  ['NETCARE_SIM_REGISTRY_SEED', '-1'], ['NETCARE_SIM_MISMATCH_SHARE', '2%'], ['NETCARE_SIM_MISMATCH_SHARE', '1.5'], ['NETCARE_SIM_CONFLICT_SHARE', 'lots']]) {
  config(`a bad ${name} (${value}) stops the simulator with a message naming it`, () => {
    try {
      loadSimulatorConfig({ [name]: value });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, SimulatorConfigError);
      assert.match((error as Error).message, name);
    }
  });
}

config.run();

const fault = suite('fault settings');

fault('a mode with a slow time and a count is accepted', () => {
  assert.equal(parseFault({ mode: 'slow', slowMs: 250, count: 2 }), { ok: true, fault: { mode: 'slow', slowMs: 250, count: 2 } });
});

fault('an unknown mode, a negative slow time or a zero count is refused with the reason', () => {
  assert.equal(parseFault({ mode: 'down' }), { ok: false, problem: 'mode must be one of none, 500, 429, slow, hang, reject, garble' });
  assert.equal(parseFault({ mode: 'slow', slowMs: -1 }), { ok: false, problem: 'slowMs must be a whole number of milliseconds' });
  assert.equal(parseFault({ mode: '500', count: 0 }), { ok: false, problem: 'count must be a whole number above 0' });
  assert.equal(parseFault(null), { ok: false, problem: 'the fault must be a JSON object' });
});

fault.run();
