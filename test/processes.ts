/** The processes a test's child started (Linux /proc). */
import { readdirSync, readFileSync } from 'node:fs';

/** The browser a process started (a child of it with a profile folder): its process id. */
export function browserOf(parent: number): number | undefined {
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${p}/cmdline`, 'latin1').includes('--user-data-dir='))
        return Number(p);
    } catch {
      /* gone */
    }
  }
  return undefined;
}
