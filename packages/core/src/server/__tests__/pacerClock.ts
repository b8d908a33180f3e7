import { createPacer, type Pacer } from "../pacer";

/** A pacer on a clock the test moves (`clock.t`, in ms). */
export interface PacerOnClock {
  pacer: Pacer;
  clock: { t: number };
  /** Answers `count` requests of `route` with a success each, moving the clock `everyMs` before each. */
  succeed(route: string, count: number, everyMs?: number): void;
  /** The same with a rate limit each. */
  refuse(route: string, count: number, everyMs?: number): void;
}

export function pacerOnClock(): PacerOnClock {
  const clock = { t: 0 };
  const pacer = createPacer({ now: () => clock.t });
  const answer =
    (accepted: boolean) =>
    (route: string, count: number, everyMs = 0) => {
      for (let i = 0; i < count; i++) {
        clock.t += everyMs;
        if (accepted) pacer.onSuccess(route);
        else pacer.onRateLimit(route);
      }
    };
  return { pacer, clock, succeed: answer(true), refuse: answer(false) };
}
