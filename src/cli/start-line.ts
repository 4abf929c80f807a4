/**
 * How the `synfin` command starts Node. dist/synfin.cjs is a shell script and a JavaScript module
 * at once: `sh` reads its second line and execs Node on the same file with these settings;
 * Node reads that line as a string and a comment (see scripts/bundle.mjs, which writes it).
 * `node dist/synfin.cjs` still works, without them.
 *
 * The settings can only be made before Node starts:
 * - glibc's malloc takes every allocation under 32 MiB from its main heap, gives nothing back
 *   below 256 MiB free, and asks the kernel for transparent huge pages there (`madvise` mode,
 *   the usual default). Connection records, event tables and read buffers are ArrayBuffers from
 *   malloc: with 4 KiB pages each first touch is a page fault, ~10 µs apiece on the virtual
 *   machines measured, 20,000 of them on a 100k-connection capture (docs/benchmarks.md).
 *   One arena: the few threads Node runs share it, instead of each touching an arena of its own.
 *   glibc reads GLIBC_TUNABLES only when a process starts; musl and macOS ignore it.
 * - One V8 worker thread instead of four, for concurrent compiling and marking: on two cores the
 *   main thread keeps one to itself (one helper: 1.09 s median on the 100k capture, two: 1.15 s),
 *   and each helper's stack and arena is memory touched.
 * - NODE_EXTRA_CA_CERTS is moved aside: Node 20 reads and parses that certificate file while it
 *   starts, whether or not the process ever opens a TLS connection (~36 ms of a 54 ms start for
 *   Debian's 140-certificate bundle, docs/benchmarks.md). synfin opens none; the launcher puts
 *   the variable back into process.env first thing, so what `synfin run` starts inherits it.
 */

/** Prepended to the user's own GLIBC_TUNABLES, if any (a later setting of the same name wins). */
export const OWN_TUNABLES = [
  'glibc.malloc.hugetlb=1',
  'glibc.malloc.mmap_threshold=33554432',
  'glibc.malloc.trim_threshold=268435456',
  'glibc.malloc.arena_max=1',
].join(':');

/** Where the start line keeps the user's NODE_EXTRA_CA_CERTS while Node starts. */
export const SAVED_EXTRA_CA_CERTS = 'SYNFIN_SAVED_NODE_EXTRA_CA_CERTS';

/** Node options on the exec line. */
export const NODE_OPTIONS = ['--v8-pool-size=1'];

/**
 * The script's first two lines. In sh, `":"` is the no-op command (`//` its argument); in
 * JavaScript, a string statement and a comment.
 */
export function startLines(): string {
  const tunables = `GLIBC_TUNABLES="${OWN_TUNABLES}\${GLIBC_TUNABLES:+:$GLIBC_TUNABLES}"; export GLIBC_TUNABLES`;
  // Set, even to nothing: moved. Unset: nothing saved, whatever the saved name held before.
  const certs =
    `unset ${SAVED_EXTRA_CA_CERTS}; [ "\${NODE_EXTRA_CA_CERTS+set}" ] && ` +
    `{ ${SAVED_EXTRA_CA_CERTS}=$NODE_EXTRA_CA_CERTS; export ${SAVED_EXTRA_CA_CERTS}; unset NODE_EXTRA_CA_CERTS; }`;
  return `#!/bin/sh\n":" //; ${tunables}; ${certs}; exec node ${NODE_OPTIONS.join(' ')} "$0" "$@"`;
}

/**
 * The environment as the user gave it: what `synfin run` starts (tcpdump, the user's command)
 * must not inherit synfin's malloc settings, and must see NODE_EXTRA_CA_CERTS.
 */
export function restoreUserEnvironment(env: NodeJS.ProcessEnv): void {
  restoreUserTunables(env);
  const certs = env[SAVED_EXTRA_CA_CERTS];
  if (certs === undefined) return;
  env.NODE_EXTRA_CA_CERTS = certs;
  delete env[SAVED_EXTRA_CA_CERTS];
}

function restoreUserTunables(env: NodeJS.ProcessEnv): void {
  const value = env.GLIBC_TUNABLES;
  if (value === OWN_TUNABLES) delete env.GLIBC_TUNABLES;
  else if (value?.startsWith(`${OWN_TUNABLES}:`)) env.GLIBC_TUNABLES = value.slice(OWN_TUNABLES.length + 1);
}
