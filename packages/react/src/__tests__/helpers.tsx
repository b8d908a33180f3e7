import { type CrispDataClient, type CrispUser, createCrispData, memoryTransport } from "@crisp-data/core";
import { act } from "@testing-library/react";
import { type ReactNode, StrictMode } from "react";
import { type UseCrispDataOptions, useCrispData } from "../useCrispData";

export function setup(options: { loaded?: boolean } = {}) {
  const transport = memoryTransport({ loaded: options.loaded ?? false });
  const client = createCrispData({ transport, persist: false });
  return { transport, client };
}

/** Let core's end-of-turn push happen. */
export const settle = () => act(async () => {});

export const strict = (ui: ReactNode) => <StrictMode>{ui}</StrictMode>;

export type Data = Record<string, string | number | boolean | null | undefined> | null | undefined;

export function Sync(
  props: { data: Data; client: CrispDataClient; user?: CrispUser | null; children?: ReactNode } & UseCrispDataOptions,
) {
  const { data, children, ...options } = props;
  const result = useCrispData(data, options);
  return (
    <>
      <output data-status={result.status}>{result.error ? result.error.issues.map((i) => i.key).join(",") : ""}</output>
      {children}
    </>
  );
}

export const userA = { id: "usr_A", email: "a@example.test", tokenId: "token-a" };
export const userB = { id: "usr_B", email: "b@example.test", tokenId: "token-b" };
export const dataA = {
  user_id: "usr_A_1001",
  plan: "starter",
  plan_price: 29,
  is_trialing: true,
  websites: 3,
  signup_at: 1714557600,
};
