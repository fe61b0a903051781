import { clientAddress } from './client-address.ts';
import type { AppContext } from './env.ts';

/**
 * The address a sign-in attempt is throttled by. Behind the TLS proxy every socket is the
 * proxy's, which would make one address of the whole clinic (one attacker's guesses would
 * refuse everyone): when the peer is a configured proxy, the client is the address that proxy
 * appended last to X-Forwarded-For; the entries before it are the client's to forge.
 */
export function signInAddress(c: AppContext): string {
  const peer = clientAddress(c);
  if (!c.var.deps.config.trustedProxies.includes(peer)) return peer;
  const appended = c.req.header('X-Forwarded-For')?.split(',').at(-1)?.trim();
  return appended || peer;
}
