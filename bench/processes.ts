import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';

const live = new Set<ChildProcess>();
// A failed run must not leave servers listening behind it.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts a program with stdout piped (servers announce their URL there) and stderr shown as is. */
export function spawnProgram(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Starts `node <args>` as spawnProgram does. */
export function spawnNode(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawnProgram(process.execPath, args, env);
}

/** The first http:// URL the child prints: both the CLI and the bare servers print theirs once listening. */
export function waitForUrl(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const finish = (error: Error | null, url?: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(url!);
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /http:\/\/[^\s]+/.exec(out);
      if (match) finish(null, match[0]);
    };
    const onExit = (code: number | null) => finish(new Error(`child ${child.spawnargs.slice(1).join(' ')} exited (${code}) before printing a URL; it printed: ${out}`));
    const timer = setTimeout(() => finish(new Error(`child ${child.spawnargs.slice(1).join(' ')} printed no URL within ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs a child to completion and parses the JSON object it prints last. */
export function runJsonChild<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const child = spawnNode(args, env);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited with ${code}; it printed: ${out}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`child ${args.join(' ')} printed no JSON result: ${out}`));
      }
    });
  });
}

/** The status of a GET, or 0 while nothing listens; a fresh connection each time, as a health probe makes. */
export function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    }).once('error', () => resolve(0));
  });
}
