/**
 * The programs press output needs, found on PATH and run as child processes: Ghostscript (the
 * colour conversion), MuPDF's mutool (what a PDF draws, and its inks, for the preflight) and
 * Argyll's colprof / collink (the newsprint profile and the device link, made once). A missing
 * or failing program is a fault of the machine (MachineError, exit 4) that names the package.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { msg } from '../messages.js';

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
  if (!p) throw msg.press.toolMissing(tool, PACKAGE[tool], purpose);
  return p;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout is kept (default); false drops it */
  keepStdout?: boolean;
  /** when aborted, the tool is killed and the run fails with the signal's reason (a build's timeout) */
  signal?: AbortSignal;
}

/**
 * Runs a tool to its end: its stdout, or a MachineError with the end of its stderr. A tool past
 * its own timeout, or whose run is aborted (the signal's reason is the error), is killed; the
 * run fails once it has ended.
 */
export function runTool(exe: string, args: string[], o: RunOptions = {}): Promise<Buffer> {
  const { timeoutMs, signal } = o;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(reasonOf(signal));
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
    let stopped: Error | undefined;
    const stop = (e: Error) => {
      stopped ??= e;
      child.kill('SIGKILL');
    };
    const timer = timeoutMs
      ? setTimeout(() => stop(msg.press.toolTimeout(path.basename(exe), timeoutMs / 1000)), timeoutMs)
      : undefined;
    timer?.unref();
    const aborted = () => signal && stop(reasonOf(signal));
    signal?.addEventListener('abort', aborted, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    };
    child.on('error', (e) => {
      done();
      reject(msg.press.toolFailed(path.basename(exe), e.message));
    });
    child.on('close', (code, killedBy) => {
      done();
      if (stopped) reject(stopped);
      else if (code === 0) resolve(Buffer.concat(chunks));
      else
        reject(
          msg.press.toolFailed(
            path.basename(exe),
            `${killedBy ? `killed by ${killedBy}` : `exit code ${code}`}: ${lastLines(err)}`,
          ),
        );
    });
  });
}

/** Why a run was aborted (a build's timeout), as an error. */
function reasonOf(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(String(r));
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
