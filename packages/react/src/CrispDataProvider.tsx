import {
  type BrowserTransportOptions,
  browserTransport,
  type CrispDataClient,
  createCrispData,
} from "@crisp-data/core";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { CrispDataContext } from "./context";

/**
 * Props of {@link CrispDataProvider}: a `client`, or the loader options of the client it creates.
 *
 * @example
 * const props: CrispDataProviderProps = { websiteId: "local-site", load: true, scriptUrl: "http://127.0.0.1:4100/l.js" };
 */
export interface CrispDataProviderProps extends Omit<BrowserTransportOptions, "window"> {
  /** Use this client (the provider then neither creates nor destroys one). */
  // biome-ignore lint/suspicious/noExplicitAny: any schema.
  client?: CrispDataClient<any>;
  children?: ReactNode;
}

/**
 * Gives every `useCrispData` below it one client. Without `client` it creates one over `window.$crisp` (read
 * once) and destroys it on unmount; with `load` and `websiteId` that client injects the chat script once.
 *
 * @example
 * <CrispDataProvider websiteId={import.meta.env.VITE_CRISP_WEBSITE_ID} load>
 *   <App />
 * </CrispDataProvider>
 */
export function CrispDataProvider({ client, children, ...loader }: CrispDataProviderProps): ReactNode {
  // Render may run twice (StrictMode) and discard a client: only the effect registers one with the chat box.
  const [owned] = useState(() => {
    if (client) return null;
    const { attach, ...transport } = browserTransport(loader);
    return { client: createCrispData({ transport }), attach };
  });
  const mounts = useRef(0);
  useEffect(() => {
    if (!owned) return;
    const release = owned.attach?.();
    mounts.current++;
    return () => {
      release?.();
      mounts.current--;
      // StrictMode unmounts and mounts again at once: destroy only if no mount followed within the turn.
      queueMicrotask(() => mounts.current || owned.client.destroy());
    };
  }, [owned]);
  return <CrispDataContext.Provider value={client ?? owned?.client ?? null}>{children}</CrispDataContext.Provider>;
}
