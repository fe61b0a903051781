import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, ConfigError } from '../src/config.ts';

const config = suite('configuration');

config('defaults', () => {
  const c = loadConfig({});
  assert.is(c.port, 3000);
  assert.is(c.databaseUrl, 'file:db/cpar.db');
  assert.is(c.netcareUrl, undefined);
  assert.is(c.nodeEnv, 'development');
  assert.is(c.cookieSecure, false);
});

config('the server listens on loopback only, except in production where a TLS proxy reaches it', () => {
  assert.is(loadConfig({}).host, '127.0.0.1');
  assert.is(loadConfig({ NODE_ENV: 'test' }).host, '127.0.0.1');
  assert.is(loadConfig({ NODE_ENV: 'production' }).host, '0.0.0.0');
  assert.is(loadConfig({ NODE_ENV: 'production', HOST: '10.0.0.5' }).host, '10.0.0.5');
  assert.is(loadConfig({ HOST: '::1' }).host, '::1');
  assert.is(loadConfig({ HOST: 'fe80::1' }).host, 'fe80::1');
  assert.is(loadConfig({ HOST: 'portal.internal' }).host, 'portal.internal');
});

config('sign-in trusts X-Forwarded-For only from the proxies listed', () => {
  assert.equal(loadConfig({}).trustedProxies, []);
  assert.equal(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, ::1' }).trustedProxies, ['127.0.0.1', '::1']);
});

config('values from the environment', () => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'http://127.0.0.1:8081', DATABASE_AUTH_TOKEN: 't',
    NETCARE_URL: 'http://127.0.0.1:9000/', NODE_ENV: 'production' });
  assert.is(c.port, 8080);
  assert.is(c.databaseUrl, 'http://127.0.0.1:8081');
  assert.is(c.databaseAuthToken, 't');
  assert.is(c.netcareUrl, 'http://127.0.0.1:9000');
  assert.is(c.cookieSecure, true);
});

config('a dead portal’s run is taken over within a minute at the default settings', () => {
  const c = loadConfig({});
  assert.equal([c.heartbeatMs, c.claimLapseMs, c.pollIntervalMs], [10_000, 30_000, 30_000]);
  // The worst case: the portal dies just after a renewal, its claims lapse, and the
  // survivor's next check comes a whole interval later (the scheduler checks every heartbeat).
  const worstTakeoverMs = c.claimLapseMs + Math.min(c.pollIntervalMs, c.heartbeatMs);
  assert.ok(worstTakeoverMs < 60_000, `${worstTakeoverMs} ms`);
});

config('a claim lapse shorter than two heartbeats, and the test clock in production, are refused', () => {
  assert.throws(() => loadConfig({ CPAR_HEARTBEAT_MS: '10000', CPAR_CLAIM_LAPSE_MS: '15000' }), /CPAR_CLAIM_LAPSE_MS/);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', CPAR_TEST_CLOCK_OFFSET_MS: '1000' }), /CPAR_TEST_CLOCK_OFFSET_MS/);
  assert.is(loadConfig({ NODE_ENV: 'test', CPAR_TEST_CLOCK_OFFSET_MS: '-1000' }).testClockOffsetMs, -1000);
});

for (const [name, value] of [['CPAR_HEARTBEAT_MS', '10'], ['CPAR_CLAIM_LAPSE_MS', 'soon'], ['CPAR_TEST_CLOCK_OFFSET_MS', 'tomorrow'], ['PORT', 'abc'], ['PORT', '70000'], ['DATABASE_URL', 'postgres://x'],
  ['NETCARE_URL', 'not a url'], ['NETCARE_URL', 'ftp://x'], ['NODE_ENV', 'staging'], ['COOKIE_SECURE', 'maybe'], ['HOST', 'http://0.0.0.0'], ['HOST', 'a b'], ['HOST', '0.0.0.0:80'], ['TRUSTED_PROXIES', 'proxy.internal']]) {
  config(`a bad ${name} stops start-up with a message naming it`, () => {
    try {
      loadConfig({ [name]: value });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, ConfigError);
      assert.match((error as Error).message, name);
    }
  });
}

config.run();
