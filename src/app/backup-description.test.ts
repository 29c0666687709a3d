import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BackupReport, describeBackup } from './backup.js';

const report = (audit: Partial<BackupReport['audit']>): BackupReport => ({
  source: 'file:shop.db',
  path: '/backups/copy.db',
  bytes: 4096,
  integrity: 'ok',
  audit: {
    ok: true,
    checkedRows: 12,
    driftedRows: 0,
    reservationDrift: 0,
    promiseDrift: 0,
    ...audit,
  },
});

describe('describeBackup', () => {
  it('says the audit is clean', () => {
    assert.equal(
      describeBackup(report({})),
      'Backed up file:shop.db to /backups/copy.db: 4096 bytes, integrity ok, audit clean (12 stock rows)',
    );
  });

  it('names each kind of drift the audit found, and only those', () => {
    assert.match(
      describeBackup(report({ ok: false, reservationDrift: 2 })),
      /AUDIT FOUND DRIFT: 2 stock rows reserving other than their orders and holds \(run stockroom audit\)$/,
    );
    assert.match(
      describeBackup(report({ ok: false, driftedRows: 1, promiseDrift: 3 })),
      /AUDIT FOUND DRIFT: 1 of 12 stock rows off their ledger; 3 promise counters off their pegs \(/,
    );
  });
});
