import type { InvalidKeyMessage, IsValidKey } from "@crisp-data/core";
import type { Ref } from "vue";

/** The data a ref, `computed`, getter or plain (or `reactive`) object holds. */
type Unwrapped<D> = D extends () => infer R ? R : D extends Ref<infer V> ? V : D;

/** The literal keys of `U` (of each member of a union) that break Crisp's key rule. */
type InvalidKeys<U> = U extends object
  ? { [K in keyof U]-?: K extends string ? (IsValidKey<K> extends true ? never : K) : never }[keyof U]
  : never;

/**
 * `D` itself when its data has no invalid literal key, else the message that names the key, so the compile error
 * reads `… is not assignable to parameter of type '"Bad Key" is not a valid Crisp key: …'` whatever the wrapper.
 * (Inferred from the whole argument: a union of wrappers would let a `computed` slip through as a plain record.)
 */
export type KeyChecked<D> = [InvalidKeys<Unwrapped<D>>] extends [never]
  ? D
  : InvalidKeyMessage<InvalidKeys<Unwrapped<D>> & string>;
