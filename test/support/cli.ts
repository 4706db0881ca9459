import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

const CLI = 'dist/twins/cli.js';
const running: ChildProcess[] = [];

// No CLI a test started outlives it, whatever the test did.
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Starts the built CLI and resolves once it has printed `ready` (serve's admin line: it is listening), with each
 * URL it printed.
 */
export function startCli(args: string[], ready = 'admin:'): Promise<{ child: ChildProcess; out: string; urls: string[] }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes(ready)) resolve({ child, out, urls: [...out.matchAll(/(http:\/\/127\.0\.0\.1:\d+)(?=\s|$)/gm)].map((m) => m[1]) });
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', () => reject(new Error(`the CLI exited before listening: ${out}`)));
  });
}

/** Runs the built CLI to its end. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The exit code of a child once it has closed. */
export const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

/** Sends SIGTERM and resolves with the exit code. */
export function stopCli(child: ChildProcess): Promise<number | null> {
  const code = exited(child);
  child.kill('SIGTERM');
  return code;
}
