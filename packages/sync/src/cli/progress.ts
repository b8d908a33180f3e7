import { SingleBar } from "cli-progress";
import type { SyncProgress } from "../types";
import { count, duration, eta, progressLine, rate } from "./format";

/** A writable stream; `isTTY` decides between a bar and periodic lines. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface ProgressView {
  update(progress: SyncProgress): void;
  stop(): void;
}

/** How often a progress line is printed when stderr is not a terminal (logs, CI). */
export const LINE_INTERVAL_MS = 5000;

/**
 * On a terminal, a progress bar (cli-progress, redrawn 10 times a second); elsewhere one line every
 * `LINE_INTERVAL_MS`, so a log stays readable.
 */
export function createProgressView(stream: OutputStream): ProgressView {
  let latest: SyncProgress | undefined;
  if (!stream.isTTY) {
    const timer = setInterval(() => {
      if (latest) stream.write(`${progressLine(latest)}\n`);
    }, LINE_INTERVAL_MS);
    timer.unref();
    return {
      update(progress) {
        latest = progress;
      },
      stop() {
        clearInterval(timer);
      },
    };
  }
  const bar = new SingleBar({
    stream,
    fps: 10,
    hideCursor: true,
    clearOnComplete: false,
    format:
      "{bar} {share} | {rows} rows | {written} written, {unchanged} unchanged, {failed} failed, {invalid} invalid | {rate}/s | ETA {left}",
    barsize: 24,
  });
  const payload = (progress: SyncProgress) => {
    const left = eta(progress);
    return {
      share: progress.fraction === undefined ? "  ?%" : `${String(Math.floor(progress.fraction * 100)).padStart(3)}%`,
      rows: count(progress.rowsRead),
      written: count(progress.written),
      unchanged: count(progress.unchanged),
      failed: count(progress.failed),
      invalid: count(progress.invalid),
      rate: count(rate(progress)),
      left: left === undefined ? "?" : duration(left),
    };
  };
  // Rows can arrive a million times a minute: keep the latest counts and draw them ten times a second.
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (latest) bar.update(Math.round((latest.fraction ?? 0) * 1000), payload(latest));
  };
  return {
    update(progress) {
      latest = progress;
      if (timer) return;
      bar.start(1000, Math.round((progress.fraction ?? 0) * 1000), payload(progress));
      timer = setInterval(draw, 100);
      timer.unref();
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      draw();
      bar.stop();
    },
  };
}
