import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyError, readJsonBody, sendEnvelope } from "../http/respond";
import type { FaultKind, ResolvedOptions } from "../options";
import type { EmulatorState } from "../state";
import { authenticate } from "./auth";
import { faultPicker } from "./faults";
import { RateLimiter } from "./rateLimiter";
import type { RequestLog } from "./requestLog";
import { matchRoute } from "./routes";
import { invalidData, notFound, type RestAnswer } from "./validation";

const FAULT_ANSWERS: Record<"429" | "420" | "500" | "503", RestAnswer> = {
  "429": { status: 429, reason: "rate_limited", data: { message: "too many requests (injected fault)" } },
  "420": { status: 420, reason: "rate_limited", data: { message: "enhance your calm (injected fault)" } },
  "500": { status: 500, reason: "server_error", data: { message: "internal error (injected fault)" } },
  "503": { status: 503, reason: "service_unavailable", data: { message: "unavailable (injected fault)" } },
};

/** Handles one REST request; `onFault` hears of an injected fault before anything is sent. */
export type RestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  onFault?: (fault: FaultKind) => void,
) => Promise<void>;

/**
 * The REST pipeline: fault draw (every request, in arrival order), route, auth, rate limit, website, body,
 * handler. A faulted or rejected request changes nothing.
 */
export function createRestHandler(options: ResolvedOptions, state: EmulatorState, log: RequestLog): RestHandler {
  const pickFault = options.faults ? faultPicker(options.faults) : () => undefined;
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit.perSecond) : undefined;

  return async (req, res, pathname, onFault) => {
    const method = req.method ?? "GET";
    const answer = (result: RestAnswer, headers: Record<string, string> = {}, fault?: FaultKind) => {
      log.add(
        fault
          ? { method, path: pathname, status: result.status, fault }
          : { method, path: pathname, status: result.status },
      );
      sendEnvelope(res, result.status, result.reason, result.data ?? {}, headers);
    };

    const fault = pickFault();
    if (fault) {
      onFault?.(fault);
      if (fault === "timeout" || fault === "reset") {
        log.add({ method, path: pathname, status: 0, fault });
        // `timeout` leaves the request hanging until the client gives up or close() ends every connection.
        if (fault === "reset") req.socket.resetAndDestroy();
        return;
      }
      answer(FAULT_ANSWERS[fault], {}, fault);
      return;
    }

    const match = matchRoute(method, pathname);
    if (!match) return answer(notFound("the route does not exist"));

    const auth = authenticate(req, options.identifier, options.key);
    if (!auth.ok) return answer({ status: 401, reason: "unauthorized", data: { message: auth.message } });

    if (limiter && options.rateLimit) {
      const wait = limiter.take(`${auth.credential}\0${method} ${match.route.template}`);
      if (wait > 0) {
        const headers: Record<string, string> = options.rateLimit.retryAfter
          ? { "Retry-After": String(Math.max(1, Math.ceil(wait))) }
          : {};
        return answer(
          { status: options.rateLimit.status, reason: "rate_limited", data: { message: "too many requests" } },
          headers,
        );
      }
    }

    if (match.params.website_id !== options.websiteId) return answer(notFound("website not found"));

    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (error) {
      if (error instanceof BodyError) return answer(invalidData(error.message));
      throw error;
    }
    answer(match.route.handle({ state, websiteId: options.websiteId, params: match.params, body }));
  };
}
