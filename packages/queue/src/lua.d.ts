/** Lua scripts are bundled as text (tsup `loader`, a vitest plugin). */
declare module "*.lua" {
  const source: string;
  export default source;
}
