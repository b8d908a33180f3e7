"use client";

import { DEMO_USERS, type DemoUser, toCrispUser } from "@crisp-data/demo-shared/users";
import { useCrispData } from "@crisp-data/react";
import { type ReactNode, useState, useTransition } from "react";
import { markOnboarded, type ServerWriteResult, signIn, signOut } from "../app/actions";
import type { DemoSetup } from "../lib/setup";
import { CrispPanel } from "./CrispPanel";
import { CustomDataEditor } from "./CustomDataEditor";

interface DemoAppProps {
  /** Who the session cookie says is signed in, read by the server for this request. */
  initialUser: DemoUser | null;
  setup: DemoSetup;
  serverCheck: ReactNode;
}

export function DemoApp({ initialUser, setup, serverCheck }: DemoAppProps) {
  const [user, setUser] = useState(initialUser);
  const [written, setWritten] = useState<ServerWriteResult | null>(null);
  const [, startTransition] = useTransition();
  // Mounted for the whole life of the app, so signing out reaches the library as `user: null`: it clears the
  // session token and resets the Crisp session, and the next user starts clean. While the page hydrates, `status`
  // is the server's (`idle`), so a browser that remembers another user renders the same HTML first.
  const { status } = useCrispData(null, { user: user ? toCrispUser(user) : null });

  const change = (next: DemoUser | null) => {
    setUser(next);
    setWritten(null);
    startTransition(() => (next ? signIn(next.id) : signOut()));
  };
  const writeOnServer = () => startTransition(async () => setWritten(await markOnboarded()));

  return (
    <main className="layout">
      <header className="banner">
        <h1>crisp-data · Next.js demo</h1>
        <p>
          {setup.mode === "emulator" ? (
            <>
              Chat box: local emulator ({setup.scriptUrl}).{" "}
              {setup.operatorUrl && <a href={setup.operatorUrl}>Open the operator view</a>}
            </>
          ) : (
            <>Chat box: Crisp, website {setup.websiteId}.</>
          )}{" "}
          Library status: <span data-testid="library-status">{status}</span>
        </p>
        {serverCheck}
      </header>

      <section className="card account" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        {user ? (
          <div className="row">
            <p>
              Signed in as <strong>{user.nickname}</strong> ({user.email})
            </p>
            <button type="button" onClick={() => change(null)}>
              Sign out
            </button>
          </div>
        ) : (
          <div className="row">
            {DEMO_USERS.map((demoUser) => (
              <button type="button" key={demoUser.id} onClick={() => change(demoUser)}>
                Sign in as {demoUser.name}
              </button>
            ))}
          </div>
        )}
      </section>

      {user ? (
        <>
          {/* A new user gets a fresh editor, seeded with that user's data. */}
          <CustomDataEditor key={user.id} user={user} />
          <section className="card" aria-labelledby="server-title">
            <h2 id="server-title">From the server</h2>
            <p className="muted">
              A server action writes the contact's data through <code>@crisp-data/core/server</code> (REST, with the API
              key kept on the server).
            </p>
            <button type="button" onClick={writeOnServer}>
              Mark as onboarded (server action)
            </button>
            {written && (
              <p data-testid="server-write">
                {written.ok ? `Written on the server: ${written.keys.join(", ")}` : `Failed: ${written.message}`}
              </p>
            )}
          </section>
        </>
      ) : (
        <section className="card">
          <h2>Custom data</h2>
          <p className="muted">Sign in to edit the custom data this app sends to Crisp.</p>
        </section>
      )}

      <CrispPanel />
    </main>
  );
}
