import type { CrispRestClient } from "@crisp-data/core/server";
import { expectTypeOf, it } from "vitest";
import type { CrispQueue } from "../index";

it("has the REST client's signatures for the three writes", () => {
  expectTypeOf<Parameters<CrispQueue["setContactData"]>>().toEqualTypeOf<
    Parameters<CrispRestClient["setContactData"]>
  >();
  expectTypeOf<Parameters<CrispQueue["replaceContactData"]>>().toEqualTypeOf<
    Parameters<CrispRestClient["replaceContactData"]>
  >();
  expectTypeOf<Parameters<CrispQueue["setSessionData"]>>().toEqualTypeOf<
    Parameters<CrispRestClient["setSessionData"]>
  >();
  expectTypeOf<ReturnType<CrispQueue["setContactData"]>>().toEqualTypeOf<Promise<void>>();
});
