/** Sizes shared by the capture readers. */

/**
 * Bytes read from the input per refill: large enough that the per-read cost vanishes (reading 0.56 GB
 * took ~80 ms in 1 MiB reads, ~70 ms in 4 MiB ones), small enough to stay in cache and cost little
 * to first touch (1 MiB measured ~0.1 s faster than 4 MiB over a whole run, and 3 MB less RSS).
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * Largest record or block a reader will buffer. libpcap caps snaplen at 262144 for most link types
 * (MAXIMUM_SNAPLEN) and 256 MiB for a few exotic ones (D-Bus, USBPcap); a length above this cap is
 * taken as corruption and reading stops, instead of trying to buffer gigabytes.
 */
export const MAX_RECORD_LENGTH = 64 * 1024 * 1024;

/** At most this many warnings are kept per file; the rest are counted in one final warning. */
export const MAX_WARNINGS = 100;
