/**
 * The programs press output needs, found on PATH and run as child processes: Ghostscript (the
 * colour conversion), MuPDF's mutool (what a PDF draws, and its inks, for the preflight) and
 * Argyll's colprof / collink (the newsprint profile and the device link, made once). A missing
 * or failing program is a fault of the machine (MachineError, exit 4) that names the package.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { pressMsg } from '../messages.js';

export type Tool = 'gs' | 'mutool' | 'colprof' | 'collink';

/** The Debian package of each tool. */
export const PACKAGE: Record<Tool, string> = {
  gs: 'ghostscript',
  mutool: 'mupdf-tools',
  colprof: 'argyll',
  collink: 'argyll',
};

const found = new Map<Tool, string | undefined>();

/** The tool's path on PATH, or undefined. */
export function findTool(tool: Tool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env === process.env && found.has(tool)) return found.get(tool);
  let hit: string | undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, tool);
    try {
      accessSync(p, constants.X_OK);
      hit = p;
      break;
    } catch {
      /* not here */
    }
  }
  if (env === process.env) found.set(tool, hit);
  return hit;
}

/** The tool's path; a MachineError naming the package when it is not installed. */
export function requireTool(tool: Tool, purpose: string): string {
  const p = findTool(tool);
  if (!p) throw pressMsg.toolMissing(tool, PACKAGE[tool], purpose);
  return p;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout is kept (default); false drops it */
  keepStdout?: boolean;
}

/** Runs a tool to its end: its stdout, or a MachineError with the end of its stderr. */
export function runTool(exe: string, args: string[], o: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, {
      stdio: ['ignore', o.keepStdout === false ? 'ignore' : 'pipe', 'pipe'],
      env: o.env ?? process.env,
      ...(o.cwd ? { cwd: o.cwd } : {}),
    });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (d: Buffer) => chunks.push(d));
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 64_000) err += d.toString();
    });
    const timer = o.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(pressMsg.toolTimeout(path.basename(exe), o.timeoutMs! / 1000));
        }, o.timeoutMs)
      : undefined;
    timer?.unref();
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(pressMsg.toolFailed(path.basename(exe), e.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks));
      else
        reject(
          pressMsg.toolFailed(
            path.basename(exe),
            `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${lastLines(err)}`,
          ),
        );
    });
  });
}

/** The last few meaningful lines of a tool's stderr (Ghostscript's deprecation notice left out). */
function lastLines(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/legacy PDF interpreter/.test(l))
      .slice(-4)
      .join(' / ') || 'no message'
  );
}
