/** Sizes shared by the capture readers. */

/** Bytes read from the input per refill. Large chunks keep the per-chunk cost (one await) negligible. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/**
 * Largest record or block a reader will buffer. libpcap caps snaplen at 262144 for most link types
 * (MAXIMUM_SNAPLEN) and 256 MiB for a few exotic ones (D-Bus, USBPcap); a length above this cap is
 * taken as corruption and reading stops, instead of trying to buffer gigabytes.
 */
export const MAX_RECORD_LENGTH = 64 * 1024 * 1024;

/** At most this many warnings are kept per file; the rest are counted in one final warning. */
export const MAX_WARNINGS = 100;
