import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, addPanel, testApp, request, signIn } from '../support/app.ts';

// @hono/node-server sends a response in one write only when its body is a primitive string
// (or bytes) and the Response is the one the handler made; anything else is rebuilt as a
// stream first (the Submissions page's p99, issue 16). What each request hands to Response.
const plain = suite('pages and fragments reach the server as plain strings');

async function responsesMadeBy(run: () => Response | Promise<Response>): Promise<{ res: Response; bodies: string[] }> {
  const bodies: string[] = [];
  const Original = globalThis.Response;
  globalThis.Response = class extends Original {
    constructor(body?: BodyInit | null, init?: ResponseInit) {
      bodies.push(body === null || body === undefined ? 'null' : body instanceof Uint8Array ? 'bytes' : typeof body);
      super(body, init);
    }
  } as typeof Response;
  try {
    return { res: await run(), bodies };
  } finally {
    globalThis.Response = Original;
  }
}

plain('a page, a kept page, a fragment and an error page: one Response each, its body a string or bytes', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addPanel(db, 'North');
  const { app } = testApp(db);
  const cookie = await signIn(app, 'clerk');
  const fragment = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
  const cases = [['/inbox', {}, 'string'], ['/settings/cii-cpar/submissions', {}, 'bytes'], ['/settings/cii-cpar/submissions', {}, 'bytes'],
    ['/inbox/unread-count', fragment, 'string'], ['/no-such-page', {}, 'string']] as const;
  for (const [path, headers, sent] of cases) {
    const { res, bodies } = await responsesMadeBy(() => request(app, 'GET', path, { cookie, headers }));
    assert.ok(res.status === 200 || res.status === 404, `${path}: ${res.status}`);
    assert.equal(bodies, [sent], `${path}: the Responses made were ${bodies.join(', ')}`);
    assert.is(res.headers.get('Cache-Control'), 'no-store', path);
    assert.match(res.headers.get('Vary') ?? '', 'HX-Request-Type', path);
  }
});

plain.run();
