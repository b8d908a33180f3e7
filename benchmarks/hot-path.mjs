// The render path's cost, measured against a floor timed in the same run (built packages: `pnpm build` first).
// Run: pnpm bench   (or node benchmarks/hot-path.mjs; --json for the raw numbers)
//
// Timings are medians of repeated batches and vary by machine: read the ratios. Render counts are exact (the
// React tests assert them).
import { createCrispData, isValidKey, memoryTransport, toWireValue } from "@crisp-data/core";

const json = process.argv.includes("--json");

/** Median microseconds per call of `fn`, over `batches` batches of `iterations` calls. */
function time(fn, iterations = 2000, batches = 15) {
  for (let i = 0; i < iterations; i++) fn(i);
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key_${i}`, `value ${i}`]));

// 1. A source re-set with the same 50 keys (every render of an unchanged component).
const client1 = createCrispData({ transport: memoryTransport(), persist: false });
const source1 = client1.source();
source1.set(fifty);
await client1.flush();
const unchanged = time(() => source1.set({ ...fifty }));
// Floor: what any correct implementation must do, validate each entry and compare it with what it had.
const known = new Map(Object.entries(fifty));
let sink = 0;
const unchangedFloor = time(() => {
  const input = { ...fifty };
  for (const key in input) {
    const value = toWireValue(input[key]);
    if (isValidKey(key) && known.get(key) === value) sink++;
  }
});

// 2. A turn of 20 sources x 5 keys where one value changed, then the push.
const client2 = createCrispData({ transport: memoryTransport(), persist: false });
const sources = Array.from({ length: 20 }, () => client2.source());
const inputs = sources.map((_, s) => Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`s${s}_k${k}`, k])));
for (const [s, source] of sources.entries()) source.set(inputs[s]);
await client2.flush();
const turn = time((i) => {
  for (let s = 0; s < 20; s++) source2(s, i);
  client2.flush();
}, 500);
/** Source `s` sets its input again; source 3 changes one value. */
function source2(s, i) {
  sources[s].set(s === 3 ? { ...inputs[s], s3_k0: i } : { ...inputs[s] });
}
const turnKnown = inputs.map((input) => new Map(Object.entries(input)));
const turnFloor = time((i) => {
  const pairs = [];
  for (let s = 0; s < 20; s++) {
    const input = s === 3 ? { ...inputs[s], s3_k0: i } : { ...inputs[s] };
    for (const key in input) {
      const value = toWireValue(input[key]);
      if (isValidKey(key) && turnKnown[s].get(key) !== value) {
        turnKnown[s].set(key, value);
        pairs.push([key, value]);
      }
    }
  }
  if (pairs.length) sink += JSON.stringify(["set", "session:data", [pairs]]).length;
}, 500);

// 3 and 4. React: renders of 20 hook components (jsdom), counted by a Profiler per component.
const { JSDOM } = await import("jsdom");
const dom = new JSDOM("<!doctype html><div id=root></div>", { url: "https://app.example.test/" });
for (const name of ["window", "document", "navigator"]) {
  Object.defineProperty(globalThis, name, { value: dom.window[name], configurable: true, writable: true });
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
const React = await import("react");
const { createRoot } = await import("react-dom/client");
const { useCrispData } = await import("@crisp-data/react");
const h = React.createElement;
const client3 = createCrispData({ transport: memoryTransport(), persist: false });
let renders = 0;
const setters = [];
function Component({ index }) {
  const [plan, setPlan] = React.useState("a");
  setters[index] = setPlan;
  useCrispData({ [`plan_${index}`]: plan }, { client: client3 });
  return null;
}
const app = h(
  React.Fragment,
  null,
  Array.from({ length: 20 }, (_, index) =>
    h(React.Profiler, { key: index, id: `c${index}`, onRender: () => renders++ }, h(Component, { index })),
  ),
);
const root = createRoot(document.getElementById("root"));
await React.act(async () => root.render(app));
await React.act(async () => {});
const mountRenders = renders;
renders = 0;
await React.act(async () => setters[7]("b"));
await React.act(async () => {});
const changeRenders = renders;
await React.act(async () => root.unmount());

const rows = [
  ["`source.set()` with 50 unchanged keys", unchanged, unchangedFloor, 4, "µs"],
  ["a turn of 20 sources × 5 keys, one value changed, then flush", turn, turnFloor, 6, "µs"],
  ["React: 20 mounted hook components, one changes its data", changeRenders, 1, 2, "renders"],
  ["React: mounting those 20 components", mountRenders, 20, 1.25, "renders"],
];
if (json) {
  console.log(JSON.stringify({ rows, sink }, null, 2));
} else {
  const format = (value, unit) => (unit === "µs" ? `${value.toFixed(1)} µs` : `${value} ${unit}`);
  console.log("| case | crisp-data | floor (same run) | ratio | goal |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, value, floor, goal, unit] of rows) {
    const ratio = value / floor;
    console.log(`| ${name} | ${format(value, unit)} | ${format(floor, unit)} | ${ratio.toFixed(1)}× | ≤ ${goal}× |`);
  }
}
