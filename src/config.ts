// Configuration from the environment, validated once at start-up: a bad value stops the
// process with a message naming the variable.
export type Config = {
  /** the interface the HTTP server listens on */
  host: string;
  port: number;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  netcareUrl: string | undefined;
  nodeEnv: 'development' | 'production' | 'test';
  cookieSecure: boolean;
  /** how often Pending submissions are checked with Netcare (and missed runs caught up) */
  pollIntervalMs: number;
  /** how often a portal renews its claims on runs and submissions, and how soon an unrenewed claim lapses */
  heartbeatMs: number;
  claimLapseMs: number;
  /** one request to Netcare, and all the retries of one send */
  netcareTimeoutMs: number;
  netcareRetryBudgetMs: number;
  /** the embedded simulator's storage and how long it takes to confirm */
  netcareSimDatabaseUrl: string;
  netcareSimConfirmDelayMs: number;
  /** the reverse proxies whose X-Forwarded-For names the client a sign-in is throttled by */
  trustedProxies: string[];
  /** a bearer token that lets a scraper off this machine read /metrics */
  metricsToken: string | undefined;
  /** the embedded simulator's registry: seed and shares (NETCARE_SIM_REGISTRY_SEED, …_MISMATCH_SHARE, …_CONFLICT_SHARE) */
  netcareSimRegistry: RegistryConfig;
  /** test-only: the pipeline step at which this process kills itself (SIGKILL) */
  testKillAt: Checkpoint | undefined;
  /** test-only: the server's clock is real time shifted by this many milliseconds */
  testClockOffsetMs: number | undefined;
};

import { isIP } from 'node:net';
import { CHECKPOINTS, type Checkpoint } from './domain/pipeline/pipeline.ts';
import { loadRegistryConfig } from './netcare-sim/config.ts';
import type { RegistryConfig } from './netcare-sim/registry.ts';

export class ConfigError extends Error {}

const NODE_ENVS = ['development', 'production', 'test'] as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const nodeEnv = (env.NODE_ENV ?? 'development') as Config['nodeEnv'];
  if (!NODE_ENVS.includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be one of ${NODE_ENVS.join(', ')} (got "${env.NODE_ENV}")`);
  }
  return {
    host: parseHost(env.HOST, nodeEnv),
    port: parsePort(env.PORT),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    netcareUrl: parseHttpUrl('NETCARE_URL', env.NETCARE_URL),
    nodeEnv,
    cookieSecure: parseBoolean('COOKIE_SECURE', env.COOKIE_SECURE, nodeEnv === 'production'),
    pollIntervalMs: parseMs('NETCARE_POLL_INTERVAL_MS', env.NETCARE_POLL_INTERVAL_MS, 30_000, 100),
    ...parseClaims(env),
    netcareTimeoutMs: parseMs('NETCARE_TIMEOUT_MS', env.NETCARE_TIMEOUT_MS, 10_000, 100),
    netcareRetryBudgetMs: parseMs('NETCARE_RETRY_BUDGET_MS', env.NETCARE_RETRY_BUDGET_MS, 60_000, 100),
    netcareSimDatabaseUrl: env.NETCARE_SIM_DATABASE_URL
      ? parseDatabaseUrl(env.NETCARE_SIM_DATABASE_URL, 'NETCARE_SIM_DATABASE_URL')
      : besideDatabase(parseDatabaseUrl(env.DATABASE_URL)),
    netcareSimConfirmDelayMs: parseMs('NETCARE_SIM_CONFIRM_DELAY_MS', env.NETCARE_SIM_CONFIRM_DELAY_MS, 5_000, 0),
    metricsToken: parseToken(env.METRICS_TOKEN),
    trustedProxies: parseProxies(env.TRUSTED_PROXIES),
    netcareSimRegistry: loadRegistryConfig(env, (problem) => {
      throw new ConfigError(problem);
    }),
    testKillAt: parseKillAt(env.CPAR_TEST_KILL_AT, nodeEnv),
    testClockOffsetMs: parseClockOffset(env.CPAR_TEST_CLOCK_OFFSET_MS, nodeEnv),
  };
}

/**
 * Loopback outside production, so a development portal with its demo clinic is not on the
 * network; in production every interface, for the TLS proxy in front of it (HOST narrows it).
 */
function parseHost(value: string | undefined, nodeEnv: Config['nodeEnv']): string {
  if (value === undefined || value === '') return nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1';
  if (!isIP(value) && !/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/.test(value)) {
    throw new ConfigError(`HOST must be an address or host name to listen on, such as 127.0.0.1, 0.0.0.0 or ::1 (got "${value}")`);
  }
  return value;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535 (got "${value}")`);
  }
  return port;
}

function parseDatabaseUrl(value: string | undefined, name = 'DATABASE_URL'): string {
  if (value === undefined || value === '') return 'file:db/cpar.db';
  if (!/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(value) && value !== ':memory:') {
    throw new ConfigError(`${name} must start with file:, libsql://, http(s):// or ws(s):// (got "${value}")`);
  }
  return value;
}

/** The simulator's own file next to the portal's database (or in db/ for a remote one). */
function besideDatabase(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) return 'file:db/netcare-sim.db';
  const path = databaseUrl.slice('file:'.length);
  const slash = path.lastIndexOf('/');
  return `file:${slash >= 0 ? path.slice(0, slash + 1) : ''}netcare-sim.db`;
}

/** A claim must survive a missed beat or two: the lapse is at least twice the heartbeat. */
function parseClaims(env: Record<string, string | undefined>): Pick<Config, 'heartbeatMs' | 'claimLapseMs'> {
  const heartbeatMs = parseMs('CPAR_HEARTBEAT_MS', env.CPAR_HEARTBEAT_MS, 10_000, 50);
  const claimLapseMs = parseMs('CPAR_CLAIM_LAPSE_MS', env.CPAR_CLAIM_LAPSE_MS, 30_000, 100);
  if (claimLapseMs < 2 * heartbeatMs) {
    throw new ConfigError(`CPAR_CLAIM_LAPSE_MS must be at least twice CPAR_HEARTBEAT_MS (got ${claimLapseMs} and ${heartbeatMs})`);
  }
  return { heartbeatMs, claimLapseMs };
}

function parseKillAt(value: string | undefined, nodeEnv: Config['nodeEnv']): Checkpoint | undefined {
  if (value === undefined || value === '') return undefined;
  if (nodeEnv === 'production') throw new ConfigError('CPAR_TEST_KILL_AT is for fault tests and is refused in production');
  if (!(CHECKPOINTS as string[]).includes(value)) {
    throw new ConfigError(`CPAR_TEST_KILL_AT must be one of ${CHECKPOINTS.join(', ')} (got "${value}")`);
  }
  return value as Checkpoint;
}

function parseClockOffset(value: string | undefined, nodeEnv: Config['nodeEnv']): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (nodeEnv === 'production') throw new ConfigError('CPAR_TEST_CLOCK_OFFSET_MS is for fault tests and is refused in production');
  if (!/^-?\d+$/.test(value)) throw new ConfigError(`CPAR_TEST_CLOCK_OFFSET_MS must be a whole number of milliseconds (got "${value}")`);
  return Number(value);
}

function parseMs(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < min) {
    throw new ConfigError(`${name} must be a whole number of milliseconds, at least ${min} (got "${value}")`);
  }
  return ms;
}

function parseHttpUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an http:// or https:// URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL (got "${value}")`);
  }
  return value.replace(/\/+$/, '');
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false (got "${value}")`);
}

/** A token long enough not to be guessed; unset leaves /metrics to this machine. */
function parseProxies(value: string | undefined): string[] {
  const proxies = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const bad = proxies.find((p) => !isIP(p));
  if (bad !== undefined) throw new ConfigError(`TRUSTED_PROXIES must be IP addresses separated by commas, such as 127.0.0.1 (got "${bad}")`);
  return proxies;
}

function parseToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 24 || /\s/.test(value)) throw new ConfigError('METRICS_TOKEN must be at least 24 characters without spaces');
  return value;
}
