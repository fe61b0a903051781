// Holds the database's write lock (BEGIN IMMEDIATE and a write) for HOLD_MS, as another
// portal's long write would, then commits: the fault tests' busy database.
import { createClient } from '@libsql/client';

const [url, holdMs] = [process.argv[2], Number(process.argv[3])];
const db = createClient({ url });
const tx = await db.transaction('write');
await tx.execute('UPDATE installation SET identifier = identifier');
console.log('locked');
await new Promise((resolve) => setTimeout(resolve, holdMs));
await tx.commit();
console.log('released');
db.close();
