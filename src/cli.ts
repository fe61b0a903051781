import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './domain/clock.ts';
import { openDatabase, type Db } from './domain/db.ts';
import { migrate } from './domain/migrate.ts';
import { isEmptyClinic, seedDemo } from './domain/demo-seed.ts';
import { createUser } from './domain/users.ts';
import { isPermission, PERMISSIONS, type Permission } from './domain/permissions.ts';
import { formatDemoUsers } from './demo-users.ts';

export const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate                       apply pending database migrations
  seed-demo                     create the demo clinic in an empty database
  user add <username> --name "<full name>" [--permission <name>]...
                                add a user; the password is the first line of standard input
                                permissions: ${PERMISSIONS.join(', ')}
  help                          show this message

The database is DATABASE_URL (default file:db/cpar.db), as for the server.`;

export type Io = {
  env: Record<string, string | undefined>;
  readStdin: () => Promise<string>;
  out: (line: string) => void;
  err: (line: string) => void;
};

class UsageError extends Error {}

/** Runs one CLI command and returns the exit code: 0 done, 1 failed, 2 bad arguments. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  let db: Db | undefined;
  try {
    const commandFn = COMMANDS[command];
    if (!commandFn) throw new UsageError(`Unknown command "${command}".`);
    const config = loadConfig(io.env);
    db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
    return await commandFn(db, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`Configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    db?.close();
  }
}

type Command = (db: Db, args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async migrate(db, args, io) {
    if (args.length) throw new UsageError('migrate takes no arguments.');
    const applied = await migrate(db);
    io.out(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
    return 0;
  },
  async 'seed-demo'(db, args, io) {
    if (args.length) throw new UsageError('seed-demo takes no arguments.');
    await migrate(db);
    if (!(await isEmptyClinic(db))) {
      io.err('The database already has users or panels: the demo clinic goes only into an empty one.');
      return 1;
    }
    io.out(formatDemoUsers(await seedDemo(db, systemClock)));
    return 0;
  },
  async user(db, args, io) {
    const [action, ...rest] = args;
    if (action !== 'add') throw new UsageError('The user command has one action: user add.');
    const { values, positionals } = parseUserAdd(rest);
    if (positionals.length !== 1) throw new UsageError('user add needs exactly one <username>.');
    if (!values.name) throw new UsageError('user add needs --name "<full name>".');
    const permissions = values.permission ?? [];
    const unknown = permissions.filter((p) => !isPermission(p));
    if (unknown.length) throw new UsageError(`Unknown permission: ${unknown.join(', ')}.`);
    const password = (await io.readStdin()).split(/\r?\n/)[0] ?? '';
    await migrate(db);
    const result = await createUser(db, systemClock, {
      username: positionals[0],
      fullName: values.name,
      password,
      permissions: permissions as Permission[],
    });
    if (!result.ok) {
      for (const e of result.errors) io.err(e.message);
      return 1;
    }
    io.out(`Added user ${positionals[0]} (id ${result.id})${permissions.length ? ` with ${permissions.join(', ')}` : ''}.`);
    return 0;
  },
};

function parseUserAdd(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, permission: { type: 'string', multiple: true } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  if ((stream as { isTTY?: boolean }).isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    readStdin: () => readAll(process.stdin),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
  process.exit(code);
}
