/**
 * Where the machine's CPU goes during a measured period, read from Linux's /proc: how many cores
 * were busy in all, and how much of that was PostgreSQL's (its server processes on this machine).
 * A throughput target on two cores is met or missed by the whole machine, not by the server alone;
 * these say whether the cores were full and who else used them. Elsewhere (no /proc) nothing is
 * read and nothing is reported.
 */
import fs from 'node:fs';

export interface MachineCpuSnapshot {
  /**
   * Jiffies of all cores since boot: busy (this machine's own work: not idle, waiting for I/O or
   * stolen by the host of a virtual machine) and in all.
   */
  busy: number;
  total: number;
  /** Cores /proc/stat counts. */
  cores: number;
  /** Jiffies of every process named `postgres` now running (backends come and go: see below). */
  postgres: Map<number, number>;
}

export interface MachineCpuUse {
  cores: number;
  /** Cores busy on average over the period, out of `cores`. */
  busyCores: number;
  /** CPU milliseconds of PostgreSQL's processes over the period; 0 for a database elsewhere. */
  postgresMs: number;
}

const JIFFY_MS = 10; // USER_HZ is 100 on every Linux this runs on.

export function machineCpuSnapshot(): MachineCpuSnapshot | null {
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const fields = stat.split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const notWorking = fields[3] + fields[4] + fields[7];
  const cores = stat.split('\n').filter((line) => /^cpu\d/.test(line)).length;
  return { busy: total - notWorking, total, cores, postgres: postgresJiffies() };
}

/** What happened between two snapshots; null when either could not be read. */
export function machineCpuUse(
  before: MachineCpuSnapshot | null,
  after: MachineCpuSnapshot | null,
): MachineCpuUse | null {
  if (!before || !after || after.total <= before.total) return null;
  let postgres = 0;
  // A backend that ended during the period is missed; one that started during it (the pool
  // growing) spent all its CPU within the period.
  for (const [pid, jiffies] of after.postgres) postgres += jiffies - (before.postgres.get(pid) ?? 0);
  return {
    cores: after.cores,
    busyCores: (after.cores * (after.busy - before.busy)) / (after.total - before.total),
    postgresMs: postgres * JIFFY_MS,
  };
}

function postgresJiffies(): Map<number, number> {
  const jiffies = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Ended meanwhile.
    }
    // pid (comm) state ...: the name may hold spaces, so fields are counted after its ')'.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (name !== 'postgres') continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    jiffies.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  return jiffies;
}
