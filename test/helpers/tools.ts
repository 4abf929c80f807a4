/** Whether an external tool (tshark, tcpdump, ...) can be run here; tests that need one skip without it. */
import { execFileSync } from 'node:child_process';

export function haveCommand(command: string, versionFlag = '--version'): boolean {
  try {
    execFileSync(command, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
