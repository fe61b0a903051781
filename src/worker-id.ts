import { hostname } from 'node:os';

/** Names this process in the claims it takes, so a claim can be traced to its holder. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}
