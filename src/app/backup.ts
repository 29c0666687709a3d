import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../db/database.js';
import { auditLedger } from '../inventory/stock.service.js';
import { systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';

/**
 * `stockroom backup PATH`: a consistent copy of a live SQLite database, checked before it
 * is called a backup. PostgreSQL has its own tools; the command prints how to use them.
 */

export interface BackupReport {
  /** The database copied, as openDatabase names it. */
  source: string;
  path: string;
  bytes: number;
  integrity: 'ok';
  audit: {
    ok: boolean;
    checkedRows: number;
    /** Stock rows whose on_hand differs from their ledger. */
    driftedRows: number;
    /** Stock rows whose reserved differs from their allocations and held units. */
    reservationDrift: number;
    /** Supplies and items whose promise counters differ from their pegs. */
    promiseDrift: number;
  };
}

/**
 * Pages per backup step: all of them. SQLite restarts a stepwise backup whenever another
 * connection writes to the source, so under steady orders a copy taken 100 pages at a
 * time might never finish. One step reads one snapshot (WAL readers never block the
 * writer, and the writer never blocks them), so the server keeps writing throughout.
 */
const ALL_PAGES = 0x7fffffff;

export async function backupSqlite(sourceFile: string, targetPath: string): Promise<BackupReport> {
  const source = resolve(sourceFile);
  const target = resolve(targetPath);
  if (!existsSync(source)) {
    throw new AppError('not_found', 'DATABASE_NOT_FOUND', `There is no database at ${source}`);
  }
  if (existsSync(target)) {
    throw new AppError('conflict', 'BACKUP_EXISTS', `${target} exists already; name a new file`);
  }
  if (!existsSync(dirname(target))) {
    throw new AppError(
      'invalid',
      'BACKUP_DIRECTORY_MISSING',
      `The folder ${dirname(target)} does not exist`,
    );
  }
  // Written beside the target under another name and renamed once verified: a file at
  // PATH is always a whole, checked copy, never one a crash or a failed check left behind.
  const partial = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`,
  );
  try {
    const live = new SqliteDatabase(source, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      await live.backup(partial, { progress: () => ALL_PAGES });
    } finally {
      live.close();
    }
    checkIntegrity(partial);
    const audit = await auditCopy(partial);
    // The copy says WAL in its header like its source; as a rollback-journal file it is
    // one self-contained file. openDatabase turns WAL back on when it is restored.
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    await rename(partial, target);
    return {
      source: `file:${source}`,
      path: target,
      bytes: (await stat(target)).size,
      integrity: 'ok',
      audit,
    };
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) {
      await rm(leftover, { force: true });
    }
  }
}

function checkIntegrity(file: string): void {
  const copy = new SqliteDatabase(file, { fileMustExist: true, readonly: true });
  try {
    const problems = copy.pragma('integrity_check', { simple: false }) as {
      integrity_check: string;
    }[];
    const messages = problems.map((row) => row.integrity_check);
    if (messages.length !== 1 || messages[0] !== 'ok') {
      throw new AppError('internal', 'BACKUP_CORRUPT', 'The copy failed PRAGMA integrity_check', {
        problems: messages.slice(0, 20),
      });
    }
  } finally {
    copy.close();
  }
}

/**
 * The stock audit on the copy, as `stockroom audit` runs it on a live database. Drift is
 * reported, not refused: the copy is still a faithful one of a source that drifted.
 */
async function auditCopy(file: string): Promise<BackupReport['audit']> {
  const copy = openDatabase(`file:${file}`);
  try {
    const report = await auditLedger({ db: copy.db, dbKind: copy.kind, clock: systemClock });
    return {
      ok: report.ok,
      checkedRows: report.checkedRows,
      driftedRows: report.drift.length,
      reservationDrift: report.reservationDrift.length,
      promiseDrift: report.promiseDrift.length,
    };
  } finally {
    await copy.close();
  }
}

export function describeBackup(report: BackupReport): string {
  const { ok, checkedRows, driftedRows, reservationDrift, promiseDrift } = report.audit;
  const found = [
    driftedRows > 0 && `${driftedRows} of ${checkedRows} stock rows off their ledger`,
    reservationDrift > 0 &&
      `${reservationDrift} stock rows reserving other than their orders and holds`,
    promiseDrift > 0 && `${promiseDrift} promise counters off their pegs`,
  ].filter(Boolean);
  const audit = ok
    ? `audit clean (${checkedRows} stock rows)`
    : `AUDIT FOUND DRIFT: ${found.join('; ')} (run stockroom audit)`;
  return `Backed up ${report.source} to ${report.path}: ${report.bytes} bytes, integrity ok, ${audit}`;
}

/**
 * What to run instead on PostgreSQL: pg_dump's custom format, which pg_restore reads
 * selectively and in parallel. The password is left out; pg_dump takes it from PGPASSWORD
 * or ~/.pgpass.
 */
export function pgDumpCommand(databaseUrl: string, targetPath: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  return `pg_dump --format=custom --file=${shellQuote(resolve(targetPath))} ${shellQuote(url.toString())}`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
