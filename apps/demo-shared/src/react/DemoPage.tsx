"use client";

import { useCrispData } from "@crisp-data/react";
import type { ReactNode } from "react";
import type { ChatBox } from "../chatBox";
import { DEMO_USERS, type DemoUser, toCrispUser } from "../users";
import { CrispPanel } from "./CrispPanel";
import { CustomDataEditor } from "./CustomDataEditor";

export interface DemoPageProps {
  /** The heading after "crisp-data · ", e.g. `React demo`. */
  title: string;
  chatBox: ChatBox;
  /** Who is signed in: the app's auth state (a store, a cookie) owns it. */
  user: DemoUser | null;
  onSignIn(user: DemoUser): void;
  onSignOut(): void;
  /** More for the banner, under the status line (the Next demo: what its server rendered). */
  banner?: ReactNode;
  /** More for a signed-in user, under the editor (the server-rendered demos: a write from the server). */
  signedIn?: ReactNode;
}

/** The demos' page: banner, account, the signed-in user's custom data and the read-back panel. */
export function DemoPage({ title, chatBox, user, onSignIn, onSignOut, banner, signedIn }: DemoPageProps) {
  // Mounted for the whole life of the app, so signing out reaches the library as `user: null`: it clears the
  // session token and resets the Crisp session, and the next user starts clean. While a server-rendered page
  // hydrates, `status` is the server's (`idle`), so a browser that remembers another user renders the same HTML first.
  const { status } = useCrispData(null, { user: user ? toCrispUser(user) : null });

  return (
    <main className="layout">
      <header className="banner">
        <h1>crisp-data · {title}</h1>
        <p>
          Chat box: {chatBox.label}. {chatBox.operatorUrl && <a href={chatBox.operatorUrl}>Open the operator view</a>}{" "}
          Library status: <span data-testid="library-status">{status}</span>
        </p>
        {banner}
      </header>

      <section className="card account" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        {user ? (
          <div className="row">
            <p>
              Signed in as <strong>{user.nickname}</strong> ({user.email})
            </p>
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        ) : (
          <div className="row">
            {DEMO_USERS.map((demoUser) => (
              <button type="button" key={demoUser.id} onClick={() => onSignIn(demoUser)}>
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
          {signedIn}
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
