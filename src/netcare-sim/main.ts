// `npm run netcare-sim`: the simulated Netcare as its own process, for a portal pointed at it
// with NETCARE_URL. Faults can be switched while it runs: PUT /_sim/fault.
import { loadSimulatorConfig, SimulatorConfigError, type SimulatorConfig } from './config.ts';
import { startSimulator } from './embed.ts';

function configOrExit(): SimulatorConfig {
  try {
    return loadSimulatorConfig();
  } catch (error) {
    if (error instanceof SimulatorConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const config = configOrExit();
const simulator = await startSimulator({
  databaseUrl: config.databaseUrl,
  port: config.port,
  confirmDelayMs: config.confirmDelayMs,
  fault: { mode: config.fault },
  registry: config.registry,
});
console.log(`Netcare simulator on ${simulator.url} (database ${config.databaseUrl}, confirms after ${config.confirmDelayMs} ms, fault ${config.fault})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}
