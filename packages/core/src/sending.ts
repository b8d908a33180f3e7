import { callSafely } from "./callbacks";
import { CrispDataError } from "./errors";
import type { SessionOwner } from "./memory";
import { type Held, planData, planIdentity, type SentIdentity } from "./planning";
import type { CrispCommand, CrispDataStatus, CrispTransport, CrispUser } from "./types";
import type { CrispWireValue } from "./values";

/** Runs the steps that are due; `false` when called from inside a running send, which plans again anyway. */
export type SendFn = () => boolean;

/**
 * The chat box's side of a client: what this Crisp session was sent (token, reset, identity, data) and the send
 * that brings it to what the app wants, one step at a time, in the order Crisp needs, each planned from the state
 * as it is then. A push that re-enters the client (a switch of user, a flush) is seen by the next step; a step is
 * recorded only once its command is on the queue, and only for the session it was meant for.
 *
 * `held` is shared with the client (it seeds it from the reload memory); `deleted` learns of every deletion that
 * went out; `save` records who owns the session and which keys it holds, for the next page.
 */
export function createSender(
  transport: CrispTransport,
  winners: Map<string, CrispWireValue>,
  dirty: Set<string>,
  held: Held,
  currentUser: () => CrispUser | null,
  currentOwner: () => SessionOwner,
  deleted: (key: string) => void,
  onError: ((error: CrispDataError) => void) | undefined,
  save: ((owner: SessionOwner, keys: string[]) => void) | undefined,
): [
  send: SendFn,
  reset: () => void,
  status: () => Exclude<CrispDataStatus, "error">,
  failure: () => CrispDataError | null,
] {
  let sentIdentity: SentIdentity = {};
  let resetPending = false;
  let resetToken = false;
  // Known absent: a key this session was never sent is not held, so its deletion need not go out.
  let fresh = false;
  // The user whose token was last put in place outside a reset: a transport that cannot hold one is tried once.
  let tokenUser: CrispUser | null = null;
  // Grows with every reset asked for: a push during which the user changed records nothing for the new session.
  let epoch = 0;
  let everSent = false;
  let sending = false;
  let failure: CrispDataError | null = null;
  // Whose conversation the chat box holds as far as pushed: what the next page reads.
  let pushedOwner = currentOwner();

  const tokenNeeded = (user = currentUser()) =>
    resetPending
      ? !resetToken
      : !!user && user !== tokenUser && !transport.isLoaded() && (user.tokenId || undefined) !== transport.getToken();

  const push = (command: CrispCommand) => {
    transport.push(command);
    everSent = true;
  };

  const send = () => {
    if (sending) return false;
    sending = true;
    let step = "";
    let settled: string[] = [];
    let problem: CrispDataError | null = null;
    try {
      for (let at = epoch; ; at = epoch) {
        const user = currentUser();
        const identity = planIdentity(user, sentIdentity);
        if (tokenNeeded(user)) {
          step = "CRISP_TOKEN_ID";
          transport.setToken(user?.tokenId || undefined);
          if (at === epoch) {
            resetToken = true;
            tokenUser = user;
          }
        } else if (resetPending) {
          step = "session:reset";
          push(["do", "session:reset"]);
          if (at === epoch) {
            resetPending = resetToken = false;
            sentIdentity = {};
            held.clear();
            fresh = true;
            // A reset for a new token keeps the same user's data: all of it is sent again.
            for (const key of winners.keys()) dirty.add(key);
          }
        } else if (identity) {
          step = identity[0][1];
          push(identity[0]);
          if (at === epoch) Object.assign(sentIdentity, identity[1]);
        } else {
          settled = [...dirty];
          const pairs = planData(dirty, winners, held, fresh);
          dirty.clear();
          if (!pairs.length) break;
          step = "session:data";
          push(["set", "session:data", [pairs]]);
          settled = [];
          if (at === epoch) {
            for (const [key, value] of pairs) {
              if (value === "" && fresh) held.delete(key);
              else held.set(key, value);
              if (value === "") deleted(key);
            }
          }
        }
      }
    } catch (error) {
      for (const key of settled) dirty.add(key);
      const message = `[crisp-data] ${error}`;
      // The same failure again keeps its error, so it is reported (and re-renders) once.
      problem =
        failure?.key === step && failure.message === message
          ? failure
          : new CrispDataError([{ key: step, code: "push_failed" }], message);
    }
    const news = problem !== failure;
    failure = problem;
    if (problem && news) callSafely(onError, problem);
    sending = false;
    // The next page may trust only an owner whose session was really started: not one whose reset did not go out.
    if (!resetPending) pushedOwner = currentOwner();
    save?.(
      pushedOwner,
      [...held.keys()].filter((key) => held.get(key) !== ""),
    );
    return true;
  };

  return [
    send,
    () => {
      resetPending = true;
      resetToken = false;
      epoch++;
    },
    () =>
      resetPending || dirty.size > 0 || tokenNeeded() || planIdentity(currentUser(), sentIdentity)
        ? "pending"
        : everSent
          ? "synced"
          : "idle",
    () => failure,
  ];
}
