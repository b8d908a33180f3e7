import { getCurrentInstance, onMounted } from "vue";

/**
 * Whether the calling component must still render what the server rendered: on the server, and in the browser
 * while it hydrates server-rendered HTML (React's `getServerSnapshot`). From mount on it is `false` and `refresh`
 * runs once, so the live value replaces the server's after hydration instead of mismatching it.
 *
 * Vue has no public "is hydrating" flag; it sets the vnode's element before `setup()` only when it adopts
 * existing DOM, and never for a fresh mount.
 */
export function whileHydrating(refresh: () => void): () => boolean {
  if (typeof window === "undefined") return () => true;
  let hydrating = getCurrentInstance()?.vnode.el != null;
  if (hydrating) {
    onMounted(() => {
      hydrating = false;
      refresh();
    });
  }
  return () => hydrating;
}
