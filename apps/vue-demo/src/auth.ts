import {
  type DemoUser,
  followSignedInUser,
  rememberSignedInUser,
  restoreSignedInUser,
} from "@crisp-data/demo-shared/users";
import { reactive } from "vue";

/**
 * The demo's stand-in for a real auth store, shaped like a Pinia setup store (`useAuthStore()`), without the
 * dependency: who is signed in, and how to change it.
 */
// Like a session cookie, the sign-in survives a reload: the library then recognises the same user and keeps the
// Crisp session instead of resetting it.
const state = reactive({ user: restoreSignedInUser() });
// Another tab signed in or out: follow it, and the library switches this tab's Crisp session too. The store lives
// as long as the page, so the listener does too.
followSignedInUser((user) => {
  state.user = user;
});

const store = {
  get user(): DemoUser | null {
    return state.user;
  },
  signIn(user: DemoUser) {
    rememberSignedInUser(user);
    state.user = user;
  },
  signOut() {
    rememberSignedInUser(null);
    state.user = null;
  },
};

export function useAuthStore() {
  return store;
}
