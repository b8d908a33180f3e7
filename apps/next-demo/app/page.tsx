import { DemoApp } from "../components/DemoApp";
import { serverCheck } from "../lib/serverCheck";
import { signedInUser } from "../lib/session";
import { demoSetup } from "../lib/setup";

/** A Server Component: the signed-in user comes from the session cookie, so the server renders the right page. */
export default async function Page() {
  const [user, check] = await Promise.all([signedInUser(), serverCheck()]);
  return (
    <DemoApp
      initialUser={user}
      setup={demoSetup()}
      serverCheck={
        <p className="muted" data-testid="server-check">
          Rendered on the server with <code>@crisp-data/react</code>: <code>CrispDataError</code> is the real class (
          {check.errorIsInstance ? "instanceof: true" : "instanceof: false"}), <code>memoryTransport()</code> recorded{" "}
          {check.pushes} push.
        </p>
      }
    />
  );
}
