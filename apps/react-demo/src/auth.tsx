import {
  type DemoUser,
  followSignedInUser,
  rememberSignedInUser,
  restoreSignedInUser,
} from "@crisp-data/demo-shared/users";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";

/** The demo's stand-in for a real auth layer: who is signed in, and how to change it. */
export interface Auth {
  user: DemoUser | null;
  signIn(user: DemoUser): void;
  signOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  // Like a session cookie, the sign-in survives a reload: the library then recognises the same user and keeps the
  // Crisp session instead of resetting it.
  const [user, setUser] = useState<DemoUser | null>(restoreSignedInUser);
  // Another tab signed in or out: follow it, and the library switches this tab's Crisp session too.
  useEffect(() => followSignedInUser(setUser), []);
  const auth = useMemo<Auth>(() => {
    const change = (next: DemoUser | null) => {
      rememberSignedInUser(next);
      setUser(next);
    };
    return { user, signIn: change, signOut: () => change(null) };
  }, [user]);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth() needs an <AuthProvider> above it");
  return auth;
}
