// The simulator's thread for reading received messages (parse, validate, digest), so its
// server thread only speaks HTTP and stores.
import { serveRequests } from '../threads/pool.ts';
import { readReceipt } from './receipt.ts';

await serveRequests((payload: Uint8Array) => readReceipt(payload));
