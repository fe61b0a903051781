import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** The peer's address as the socket saw it (forwarded headers are not trusted). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}
