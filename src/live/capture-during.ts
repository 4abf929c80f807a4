import { analyze } from '../analyze.js';
import type { Report } from '../report/model.js';
import { CaptureSession, type CaptureOptions } from './session.js';

export interface CaptureDuringOptions extends Omit<CaptureOptions, 'ports' | 'hosts'> {
  /** Port(s) to capture and analyse (either side of a connection). */
  port?: number | readonly number[];
  /** Address(es) to capture and analyse (either side). */
  host?: string | readonly string[];
}

function list<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/**
 * Captures (tcpdump or dumpcap, loopback by default) while `work` runs, then analyses the
 * capture: the report `synfin --json` would print for it. The capture is live before `work`
 * starts and complete when the report is made; if `work` throws, the capture is discarded
 * and the error rethrown. Needs root or CAP_NET_RAW; throws CaptureToolError otherwise.
 */
export async function captureDuring(options: CaptureDuringOptions, work: () => unknown): Promise<Report> {
  const ports = list(options.port);
  const hosts = list(options.host);
  const session = await CaptureSession.start({ ...options, ports, hosts });
  try {
    await work();
  } catch (error) {
    await session.abort();
    throw error;
  }
  try {
    await session.stop();
    const report = await analyze(session.file, { ports, hosts });
    if (session.dropWarning) report.captures[0]!.warnings.push(session.dropWarning);
    return report;
  } finally {
    session.dispose();
  }
}
