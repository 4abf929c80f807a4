import { setFlagsFromString } from 'node:v8';

/**
 * How much V8's young generation may grow. It doubles each time enough objects survived
 * scavenges, up to 2 x 16 MB. A streaming run keeps little alive: over a long pass the
 * survivors still add up, and the growth was a sixth of the peak RSS on 100k connections for no
 * speed, so the CLI starts with growth off. Building every connection's report at once keeps a
 * lot alive, and there a 1 MB young generation copied it over and over: a 100k-connection table
 * took 5.1 s instead of 3.8 s. The growth factor is read each time the space would grow, so it
 * can change while the program runs (unlike --max-semi-space-size, which counts only at
 * start-up and cannot go on the `#!/usr/bin/env node` line). See docs/benchmarks.md.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  // With little surviving each time, handing a scavenge to a helper thread cost more than the
  // copying it shares: ~700 scavenges of a 1 MB young generation while writing the 100k JSON,
  // ~30 ms less wall and CPU time on one thread. Read at every scavenge, like the factor.
  setFlagsFromString('--no-parallel-scavenge');
}

/** Back to V8's defaults, before keeping many objects alive (much to copy: helpers pay). */
export function letYoungGenerationGrow(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
  setFlagsFromString('--parallel-scavenge');
}
