import { Hono } from 'hono';
import { ASSETS } from '../assets.ts';

/** A URL carrying the asset's current version may be kept for a year; any other, an hour. */
export function staticRoutes(): Hono {
  return new Hono().get('/:file', (c) => {
    const asset = ASSETS.get(c.req.param('file'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    return c.body(asset.body as Uint8Array<ArrayBuffer>);
  });
}
