// CPU time from /proc, for benchmarks that say where a machine's cores went.
//   cpuUs(pid)               a process's CPU time (user + system, all its threads) in µs:
//                            what it spent, however long it waited for a core
//   groupCpu(rootPid)        a snapshot of a process and its children (a PostgreSQL
//                            postmaster and its backends); groupCpuUs(before, after) the
//                            µs they spent between two snapshots, counting children
//                            started in between in full
//   trackGroupCpu(rootPid)   the same for children that may exit before the end (a
//                            client's connections): polled every 200 ms; .stop() gives
//                            the µs spent since the call
//   machineCpu()             /proc/stat's first line; busyShare(before, after) the share
//                            (%) of all cores' time that was not idle or waiting for I/O
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

// Fields after the command name (which may hold spaces): [0] is the state, [1] the
// parent, [11] utime, [12] stime.
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export const cpuUs = (pid) => {
  const f = statFields(pid);
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS;
};

export function groupCpu(rootPid) {
  const snapshot = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const f = statFields(name);
      if (Number(name) === rootPid || Number(f[1]) === rootPid)
        snapshot.set(name, ((Number(f[11]) + Number(f[12])) * 1e6) / CLOCK_TICKS);
    } catch {
      // gone between the listing and the read
    }
  }
  return snapshot;
}

// Children that exited between the snapshots are not counted (the ones the benchmarks
// look at hold their connections for the whole run).
export function groupCpuUs(before, after) {
  let us = 0;
  for (const [pid, v] of after) us += v - (before.get(pid) ?? 0);
  return us;
}

export function trackGroupCpu(rootPid) {
  const before = groupCpu(rootPid);
  const latest = new Map(before);
  const poll = () => {
    for (const [pid, v] of groupCpu(rootPid)) latest.set(pid, v);
  };
  const timer = setInterval(poll, 200);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return groupCpuUs(before, latest);
    },
  };
}

export const machineCpu = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);

export function busyShare(a, b) {
  const d = b.map((v, i) => v - a[i]);
  const total = d.slice(0, 8).reduce((x, y) => x + y, 0);
  return total > 0 ? (100 * (total - d[3] - d[4])) / total : 0;
}

// The hypervisor's share (%) of all CPU time between two reads (`steal`).
export function stealShare(a, b) {
  const d = b.map((v, i) => v - a[i]);
  const total = d.slice(0, 8).reduce((x, y) => x + y, 0);
  return total > 0 ? (100 * d[7]) / total : 0;
}
