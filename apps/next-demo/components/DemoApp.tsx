"use client";

import { describeChatBox } from "@crisp-data/demo-shared/chatBox";
import type { CrispSetup } from "@crisp-data/demo-shared/config";
import { DemoPage } from "@crisp-data/demo-shared/react/DemoPage";
import type { DemoUser } from "@crisp-data/demo-shared/users";
import { type ReactNode, useState, useTransition } from "react";
import { markOnboarded, type ServerWriteResult, signIn, signOut } from "../app/actions";

interface DemoAppProps {
  /** Who the session cookie says is signed in, read by the server for this request. */
  initialUser: DemoUser | null;
  setup: CrispSetup;
  serverCheck: ReactNode;
}

/** The shared demo page, with the sign-in kept in a cookie by server actions and a write made on the server. */
export function DemoApp({ initialUser, setup, serverCheck }: DemoAppProps) {
  const [user, setUser] = useState(initialUser);
  const [written, setWritten] = useState<ServerWriteResult | null>(null);
  const [, startTransition] = useTransition();

  const change = (next: DemoUser | null) => {
    setUser(next);
    setWritten(null);
    startTransition(() => (next ? signIn(next.id) : signOut()));
  };
  const writeOnServer = () => startTransition(async () => setWritten(await markOnboarded()));

  return (
    <DemoPage
      title="Next.js demo"
      chatBox={describeChatBox(setup)}
      user={user}
      onSignIn={change}
      onSignOut={() => change(null)}
      banner={serverCheck}
      signedIn={
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
      }
    />
  );
}
