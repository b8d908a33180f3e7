import type { CrispCommand, CrispTransport } from "./types";

/** One thing a client did, in order: a push, or a change of `CRISP_TOKEN_ID`. */
export type MemoryTransportEvent =
  | { readonly type: "push"; readonly command: CrispCommand }
  | { readonly type: "token"; readonly tokenId: string | undefined };

export interface MemoryTransport extends CrispTransport {
  /** Every event in order. */
  readonly events: MemoryTransportEvent[];
  /** Every pushed command in order. */
  readonly commands: CrispCommand[];
  /** The pairs of each `session:data` push, in order. */
  dataPushes(): Array<Array<[string, string | number | boolean]>>;
  /** The current `CRISP_TOKEN_ID`. */
  token: string | undefined;
  /** Pretend the chat script has (or has not) loaded. */
  loaded: boolean;
  /** Forget what was recorded (not the token or the loaded state). */
  clear(): void;
}

/**
 * Records instead of sending: for your own tests.
 *
 * @example
 * const transport = memoryTransport();
 * const client = createCrispData({ transport });
 * client.set({ plan: "pro" });
 * await client.flush();
 * expect(transport.dataPushes()).toEqual([[["plan", "pro"]]]);
 */
export function memoryTransport(options: { loaded?: boolean; tokenId?: string } = {}): MemoryTransport {
  const events: MemoryTransportEvent[] = [];
  const commands: CrispCommand[] = [];
  const store = new Map<string, string>();
  const transport: MemoryTransport = {
    events,
    commands,
    token: options.tokenId,
    loaded: options.loaded ?? false,
    storage: {
      getItem: (key) => store.get(key) ?? null,
      setItem: (key, value) => void store.set(key, value),
      removeItem: (key) => void store.delete(key),
    },
    push(command) {
      commands.push(command);
      events.push({ type: "push", command });
    },
    setToken(tokenId) {
      transport.token = tokenId;
      events.push({ type: "token", tokenId });
    },
    getToken: () => transport.token,
    isLoaded: () => transport.loaded,
    dataPushes: () =>
      commands
        .filter((command) => command[0] === "set" && command[1] === "session:data")
        .map((command) => (command[2] as [Array<[string, string | number | boolean]>])[0]),
    clear() {
      events.length = 0;
      commands.length = 0;
    },
  };
  return transport;
}
