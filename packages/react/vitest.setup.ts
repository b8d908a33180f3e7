import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";

// `*.server.test.tsx` files run in node: loading @testing-library/react there would load react-dom/client
// before the test installs a window, so only DOM environments get the automatic cleanup.
if (typeof window !== "undefined") {
  const { cleanup } = await import("@testing-library/react");
  afterEach(cleanup);
}
