import { useEffect, useState } from "react";
import { type CrispHolds, EMPTY_HOLDS, watchCrisp } from "../crispReadback";
import { formatValue } from "../users";

/** "What Crisp holds": read back from the chat box with `$crisp.get`, not from the library. */
export function CrispPanel() {
  const [holds, setHolds] = useState<CrispHolds>(EMPTY_HOLDS);
  useEffect(() => watchCrisp(setHolds), []);
  const entries = Object.entries(holds.data);

  return (
    <section className="card" aria-labelledby="crisp-holds-title" data-testid="crisp-holds">
      <h2 id="crisp-holds-title">What Crisp holds</h2>
      <p className="muted">
        Read back from the chat box itself with <code>$crisp.get()</code> (<code>session:identifier</code>,{" "}
        <code>user:email</code>, <code>session:data</code>), not from the library.
      </p>
      {holds.loaded ? (
        <>
          <p>
            Session <code data-testid="crisp-session-id">{holds.sessionId}</code>
            <br />
            Email <span data-testid="crisp-email">{holds.email ?? "none (anonymous visitor)"}</span>
          </p>
          {entries.length ? (
            <dl className="holds">
              {entries.map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{formatValue(value)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">No custom data in this session.</p>
          )}
        </>
      ) : (
        <p className="muted">Waiting for the chat box to load…</p>
      )}
    </section>
  );
}
