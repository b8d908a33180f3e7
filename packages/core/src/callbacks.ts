/**
 * Calls an app's callback so that its throw cannot break a batch or starve other listeners. In a browser the error
 * is rethrown on a later task, where it still reaches the console and error trackers; on the server, where an
 * uncaught throw would end the process during a render, it is only logged.
 */
export function callSafely<A>(callback: ((arg: A) => void) | undefined, arg: A): void {
  try {
    callback?.(arg);
  } catch (error) {
    if (typeof window === "undefined") console.error(error);
    else
      setTimeout(() => {
        throw error;
      });
  }
}
