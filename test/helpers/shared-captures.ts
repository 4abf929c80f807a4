/** The public sample captures with tshark ground truth, beside the repository (never copied in). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedCaptures = resolve(repoRoot, '../shared/captures');
export const sharedFiles = join(sharedCaptures, 'files');
export const sharedTruth = join(sharedCaptures, 'truth');
export const haveSharedCaptures = existsSync(sharedTruth);

export interface TruthDirection {
  packets: number;
  payload_bytes: number;
  captured_payload_bytes: number;
}

export interface TruthConnection {
  stream: number;
  a: string;
  b: string;
  client: string | null;
  server: string | null;
  client_basis: string;
  port_guess?: string;
  first_frame: number;
  handshake: { syn_count: number; synack_count: number; full_3way: boolean; three_packets_present_any_order: boolean };
  first_fin: string;
  first_rst: string;
  closed_by: string;
  directions: Record<string, TruthDirection>;
}

export interface Truth {
  file: string;
  container: { records_complete?: number; truncated_file?: string; format: string };
  summary: {
    frames: number;
    tcp_streams: number;
    streams_with_full_handshake: number;
    closed_by_counts: Record<string, number>;
  };
  connections: TruthConnection[];
}

export function truthFiles(): string[] {
  if (!haveSharedCaptures) return [];
  return readdirSync(sharedTruth).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort();
}

export function readTruth(file: string): Truth {
  return JSON.parse(readFileSync(join(sharedTruth, `${file}.json`), 'utf8')) as Truth;
}
