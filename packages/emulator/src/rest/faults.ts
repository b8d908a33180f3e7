import type { FaultKind } from "../options";

/** mulberry32: tiny, fast and identical on every platform, which is all determinism needs. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides, per REST request in arrival order, whether it fails and how. Every request draws twice whatever the
 * outcome, so the n-th request's fate depends only on the seed and n.
 */
export function faultPicker(options: { rate: number; seed: number; kinds: FaultKind[] }): () => FaultKind | undefined {
  const random = mulberry32(options.seed);
  return () => {
    const hit = random() < options.rate;
    const kind = options.kinds[Math.floor(random() * options.kinds.length)];
    return hit ? kind : undefined;
  };
}
