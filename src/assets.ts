// The stylesheet, the scripts in public/ and htmx from its installed package, read once at
// start-up (they are small). Pages link them with their content's hash in the URL, so a
// browser may keep them for a year and still gets the new ones the moment the portal is upgraded.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export type Asset = { body: Uint8Array; type: string; version: string };

function load(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (name: string, path: string) => {
    const body = readFileSync(path);
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets.set(name, { body, type: TYPES[extname(name)]!, version });
  };
  const dir = fileURLToPath(new URL('../public/', import.meta.url));
  for (const file of readdirSync(dir)) if (TYPES[extname(file)]) add(file, dir + file);
  add('htmx.min.js', createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'));
  return assets;
}

export const ASSETS = load();

/** The URL a page links: `/static/app.css?v=<hash of its content>`. */
export function assetUrl(name: string): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`no asset named ${name}`);
  return `/static/${name}?v=${asset.version}`;
}
