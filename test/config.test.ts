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

config('values from the environment', () => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'http://127.0.0.1:8081', DATABASE_AUTH_TOKEN: 't',
    NETCARE_URL: 'http://127.0.0.1:9000/', NODE_ENV: 'production' });
  assert.is(c.port, 8080);
  assert.is(c.databaseUrl, 'http://127.0.0.1:8081');
  assert.is(c.databaseAuthToken, 't');
  assert.is(c.netcareUrl, 'http://127.0.0.1:9000');
  assert.is(c.cookieSecure, true);
});

for (const [name, value] of [['PORT', 'abc'], ['PORT', '70000'], ['DATABASE_URL', 'postgres://x'],
  ['NETCARE_URL', 'not a url'], ['NETCARE_URL', 'ftp://x'], ['NODE_ENV', 'staging'], ['COOKIE_SECURE', 'maybe']]) {
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
