import { describeChatBox } from "@crisp-data/demo-shared/chatBox";
import type { CrispSetup } from "@crisp-data/demo-shared/config";
import { DemoPage } from "@crisp-data/demo-shared/react/DemoPage";
import { useAuth } from "./auth";

/** The shared demo page over this app's auth state (localStorage, followed across tabs). */
export function App({ setup }: { setup: CrispSetup }) {
  const { user, signIn, signOut } = useAuth();
  return (
    <DemoPage title="React demo" chatBox={describeChatBox(setup)} user={user} onSignIn={signIn} onSignOut={signOut} />
  );
}
