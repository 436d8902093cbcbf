/**
 * The end-of-run garbage collection: one maintenance run (lib/log/maintenance) with zero grace
 * periods, in the harness process, after every writer stopped. Whatever object it leaves that
 * nothing refers to is an orphan the GC cannot see; whatever it deletes that is still referenced
 * shows up as a referenced object deleted (and, at the final read, as lost records).
 */
import { maintenanceConfig, runMaintenance, type MaintenanceReport } from '../../lib/log/maintenance';
import type { StorageProbe } from './audit';
import { now, type HistoryWriter } from './history';
import { sleep } from './workload/http';

/** Longest wait for a lease left by a killed stack's run, or for pending deletions to fall due. */
const LEASE_WAIT_MS = 90_000;

export async function finalGc(probe: StorageProbe, history: HistoryWriter): Promise<MaintenanceReport | undefined> {
  const storage = probe.storage();
  const config = maintenanceConfig({ orphanGraceMs: 0, deletionDelayMs: 0, log: () => {} }, {});
  const deadline = Date.now() + LEASE_WAIT_MS;
  const runs: MaintenanceReport[] = [];
  for (;;) {
    const report = await runMaintenance(storage, config);
    if (!report.skipped) runs.push(report);
    // Done once a run swept every pending deletion (those scheduled during the load keep their
    // own due times) and collected the orphans.
    if (!report.skipped && report.deletions.waiting === 0) {
      const totals = runs.reduce((n, r) => ({ orphans: n.orphans + r.gc.orphans, deleted: n.deleted + r.deletions.deleted, errors: n.errors + r.errors }), { orphans: 0, deleted: 0, errors: 0 });
      history.write({ type: 'audit', f: 'gc', time: now(), ran: totals.errors === 0, detail: JSON.stringify({ runs: runs.length, ...totals }) });
      return report;
    }
    if (Date.now() > deadline) {
      history.write({ type: 'audit', f: 'gc', time: now(), ran: false, detail: report.skipped ?? `${report.deletions.waiting} deletions still not due` });
      return undefined;
    }
    await sleep(1_000);
  }
}
