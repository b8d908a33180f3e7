import { CrispDataProvider } from "@crisp-data/react";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { demoSetup } from "../lib/setup";
import "@crisp-data/demo-shared/styles.css";

export const metadata: Metadata = { title: "crisp-data · Next.js demo", icons: "data:," };
// The chat box's address comes from the server's environment at request time, not from the build.
export const dynamic = "force-dynamic";

/** A Server Component: the provider (a client component) wraps every page and reads the website id from here. */
export default function RootLayout({ children }: { children: ReactNode }) {
  const setup = demoSetup();
  return (
    <html lang="en">
      <body>
        <CrispDataProvider websiteId={setup.websiteId} load scriptUrl={setup.scriptUrl}>
          {children}
        </CrispDataProvider>
      </body>
    </html>
  );
}
