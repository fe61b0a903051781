import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { ManualClock, systemClock } from './domain/time/clock.ts';
import { openDatabase, type Db } from './domain/database/db.ts';
import { migrate } from './domain/database/migrate.ts';
import { backupDatabase } from './domain/database/backup.ts';
import { verifyChain } from './domain/audit/audit-chain.ts';
import { isEmptyClinic, seedDemo } from './domain/demo/demo-seed.ts';
import { createUser } from './domain/people/users.ts';
import { checkPassword } from './domain/people/user-admin.ts';
import { importClinicalRecord } from './domain/import/import.ts';
import { isFhirJson } from './domain/import/fhir-files.ts';
import { importFhirFiles, printCounts } from './cli-fhir.ts';
import { csvChoices, importCsvFile } from './cli-csv.ts';
import { isPermission, PERMISSIONS, type Permission } from './domain/people/permissions.ts';
import { tick } from './domain/pipeline/runs.ts';
import { formatDemoUsers } from './demo-users.ts';
import { startHeartbeat } from './scheduler/heartbeat.ts';
import { formatTickReport, openPipeline, sendDemoSubmissions } from './run-pipeline.ts';

export const USAGE = `Usage: npm run cli -- <command>

Commands:
  migrate                       apply pending database migrations
  seed-demo                     create the demo clinic in an empty database
  user add <username> --name "<full name>" [--permission <name>]...
                                add a user; the password is the first line of standard input
                                permissions: ${PERMISSIONS.join(', ')}
  import <file.json>            load a clinical-record extract (practitioners, patients,
                                visits, panels): all or nothing; re-importing changes nothing
  import <FHIR file or folder>...
                                load FHIR R4 data instead: a Bundle or resource (.json) or
                                Bulk Data NDJSON files (.ndjson); a folder: all of its files
  import <panel.csv> [--map <field>=<Column>]... [--dates <format>]
                                load a CSV panel list: the column mapping is guessed from the
                                header and printed; --map corrects it; --dates DD/MM/YYYY or
                                MM/DD/YYYY when the file's dates could be read either way
  tick [--at <ISO-8601 instant>]
                                do the scheduler's work due at that instant (default: now):
                                the monthly run, queued submissions, confirmations, catch-up
  backup <file>                 a consistent copy of a file database, made while the portal
                                runs, and checked with PRAGMA integrity_check
  audit verify                  recompute the audit trail's hash chain; names the first entry
                                changed or missing, and exits 1 when there is one
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
    return await commandFn(db, rest, io, config);
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

type Command = (db: Db, args: string[], io: Io, config: Config) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async migrate(db, args, io) {
    if (args.length) throw new UsageError('migrate takes no arguments.');
    const applied = await migrate(db);
    io.out(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
    return 0;
  },
  async 'seed-demo'(db, args, io, config) {
    if (args.length) throw new UsageError('seed-demo takes no arguments.');
    await migrate(db);
    if (!(await isEmptyClinic(db))) {
      io.err('The database already has users or panels: the demo clinic goes only into an empty one.');
      return 1;
    }
    const demo = await seedDemo(db, systemClock);
    io.out(formatDemoUsers(demo.users));
    const { pipeline, connection } = await openPipeline(db, systemClock, config);
    try {
      await sendDemoSubmissions(pipeline, demo.sendNow);
    } finally {
      await connection.close();
    }
    return 0;
  },
  async backup(db, args, io, config) {
    if (args.length !== 1) throw new UsageError('backup needs exactly one <file>.');
    const result = await backupDatabase(db, config.databaseUrl, args[0]);
    if (!result.ok) {
      io.err(`No backup: ${result.message}.`);
      return 1;
    }
    io.out(`Backed up to ${result.path} (integrity ${result.integrity}):`);
    for (const [table, rows] of Object.entries(result.tables)) io.out(`  ${table}: ${rows}`);
    return 0;
  },
  async tick(db, args, io, config) {
    const at = parseAt(args);
    await migrate(db);
    const clock = at ? new ManualClock(at) : systemClock;
    const { pipeline, connection } = await openPipeline(db, clock, config);
    const heartbeat = startHeartbeat(pipeline, config.heartbeatMs);
    try {
      const now = clock.now();
      for (const line of formatTickReport(await tick(pipeline, now), now)) io.out(line);
    } finally {
      await heartbeat.stop();
      await connection.close();
    }
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
    const weak = checkPassword(password, positionals[0]);
    if (weak) {
      io.err(weak);
      return 1;
    }
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
  async audit(db, args, io) {
    if (args.length !== 1 || args[0] !== 'verify') throw new UsageError('The audit command has one action: audit verify.');
    const check = await verifyChain(db);
    if (!check.ok) {
      io.err(`The audit trail is broken at entry ${check.brokenAt}: ${check.reason} (${check.entries} entries before it verified).`);
      return 1;
    }
    io.out(`The audit trail verifies: ${check.entries} entries, latest hash ${check.head ?? '(none)'}.`);
    return 0;
  },
  async import(db, args, io) {
    if (args.length === 0) throw new UsageError('import needs a <file.json>, or FHIR files or folders.');
    await migrate(db);
    const [file] = args;
    if (args.some((a) => /\.csv$/i.test(a) && !a.includes("="))) {
      const csv = csvChoices(args);
      if (!csv.ok) throw new UsageError(csv.message);
      return importCsvFile(db, systemClock, csv.file, csv.choices, io);
    }
    const fhirOnly = args.length > 1 || /\.ndjson$/i.test(file) || (existsSync(file) && statSync(file).isDirectory());
    if (fhirOnly) return importFhirFiles(db, systemClock, args, io);
    let input: unknown;
    try {
      input = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      // Only the position of a JSON syntax error is shown: V8's message quotes the file's text.
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      io.err(error instanceof SyntaxError
        ? `${file} is not valid JSON${position ? ` (at character ${position})` : ''}.`
        : `Cannot read ${file}: ${(error as Error).message}`);
      return 1;
    }
    if (isFhirJson(input)) return importFhirFiles(db, systemClock, args, io);
    const result = await importClinicalRecord(db, systemClock, input);
    if (!result.ok) {
      for (const p of result.problems) io.err(`${p.path}: ${p.message}`);
      io.err(`Nothing was imported: ${result.problems.length} problem(s) in ${file}.`);
      return 1;
    }
    io.out(`Imported ${file}:`);
    printCounts(io, result.counts);
    if (result.warnings.length) {
      io.out(`${result.warnings.length} blank value(s) stored as not recorded (readiness names what each one blocks):`);
      for (const w of result.warnings) io.out(`  ${w.path}: ${w.message}`);
    }
    return 0;
  },
};

/** `--at` takes an ISO-8601 instant with its offset (or Z): a local time would be ambiguous. */
function parseAt(args: string[]): Date | null {
  let values;
  try {
    values = parseArgs({ args, options: { at: { type: 'string' } } }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.at === undefined) return null;
  const at = new Date(values.at);
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(values.at) ?? [];
  const realDay = y !== undefined && new Date(Date.UTC(+y, +m - 1, +d)).getUTCDate() === +d;
  if (!realDay || Number.isNaN(at.getTime())) {
    throw new UsageError(`--at needs an ISO-8601 instant with an offset, like 2027-03-15T21:00:00-06:00 (got "${values.at}").`);
  }
  return at;
}

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
