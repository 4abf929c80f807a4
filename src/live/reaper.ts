import type { ChildProcess } from 'node:child_process';

/**
 * Every capture process synfin started and has not seen exit. None outlives synfin: they are
 * killed when the process exits for any reason, and on SIGINT/SIGTERM/SIGHUP when the caller
 * asked for that (the library default). Then the signal is raised again if nobody else
 * handles it, so the program still ends the way it would have without synfin.
 */
const live = new Map<ChildProcess, { handleSignals: boolean; cleanup: () => void }>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let exitHook = false;
let signalHooks = false;

function stop(child: ChildProcess, cleanup: () => void): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  cleanup();
}

function killAll(): void {
  for (const [child, how] of live) stop(child, how.cleanup);
}

function onSignal(signal: NodeJS.Signals): void {
  for (const [child, how] of [...live]) {
    if (!how.handleSignals) continue;
    stop(child, how.cleanup);
    live.delete(child);
  }
  removeSignalHooks();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function addSignalHooks(): void {
  if (signalHooks) return;
  signalHooks = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function removeSignalHooks(): void {
  if (!signalHooks) return;
  signalHooks = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function update(): void {
  if ([...live.values()].some((how) => how.handleSignals)) addSignalHooks();
  else removeSignalHooks();
}

/** Watches a capture process; `cleanup` (synchronous) removes what it leaves, if synfin has to end it. */
export function adopt(child: ChildProcess, handleSignals: boolean, cleanup: () => void): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', killAll);
  }
  live.set(child, { handleSignals, cleanup });
  const forget = () => {
    live.delete(child);
    update();
  };
  child.once('exit', forget);
  child.once('error', forget); // never started: no 'exit' follows
  update();
}

/** Capture processes still running (for tests and diagnostics). */
export function liveCaptureCount(): number {
  return live.size;
}
