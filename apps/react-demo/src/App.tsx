import type { CrispSetup } from "@crisp-data/demo-shared/config";
import { DEMO_USERS, toCrispUser } from "@crisp-data/demo-shared/users";
import { useCrispData } from "@crisp-data/react";
import { useAuth } from "./auth";
import { CrispPanel } from "./CrispPanel";
import { CustomDataEditor } from "./CustomDataEditor";

export function App({ setup }: { setup: CrispSetup }) {
  const { user, signIn, signOut } = useAuth();
  // Mounted for the whole life of the app, so signing out reaches the library as `user: null`: it clears the
  // session token and resets the Crisp session, and the next user starts clean.
  const { status } = useCrispData(null, { user: user ? toCrispUser(user) : null });

  return (
    <main className="layout">
      <header className="banner">
        <h1>crisp-data · React demo</h1>
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
      </header>

      <section className="card account" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        {user ? (
          <div className="row">
            <p>
              Signed in as <strong>{user.nickname}</strong> ({user.email})
            </p>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        ) : (
          <div className="row">
            {DEMO_USERS.map((demoUser) => (
              <button type="button" key={demoUser.id} onClick={() => signIn(demoUser)}>
                Sign in as {demoUser.name}
              </button>
            ))}
          </div>
        )}
      </section>

      {user ? (
        // A new user gets a fresh editor, seeded with that user's data.
        <CustomDataEditor key={user.id} user={user} />
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
