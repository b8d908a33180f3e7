import type { CrispDataClient } from "@crisp-data/core";
import { createContext } from "react";

/** The client a `CrispDataProvider` hands to the hooks below it. */
// biome-ignore lint/suspicious/noExplicitAny: a provider may hold a client of any schema.
export const CrispDataContext = /* @__PURE__ */ createContext<CrispDataClient<any> | null>(null);
