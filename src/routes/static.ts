import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** public/ and htmx from its installed package, read once at start-up (they are small). */
function loadAssets(): Map<string, { body: Uint8Array; type: string }> {
  const assets = new Map<string, { body: Uint8Array; type: string }>();
  const dir = fileURLToPath(new URL('../../public/', import.meta.url));
  for (const file of readdirSync(dir)) {
    const type = TYPES[extname(file)];
    if (type) assets.set(file, { body: readFileSync(dir + file), type });
  }
  const htmx = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
  assets.set('htmx.min.js', { body: readFileSync(htmx), type: TYPES['.js'] });
  return assets;
}

export function staticRoutes(): Hono {
  const assets = loadAssets();
  return new Hono().get('/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
}
