/** The body of an answer, or `tooLarge` once it passes the cap (then the rest is never read). */
export type BodyText =
  | { readonly text: string; readonly tooLarge: false }
  | { readonly text: ""; readonly tooLarge: true };

/**
 * Reads a response body up to `maxBytes`. `response.text()` buffers whatever arrives: a 700 MB answer ends in a
 * RangeError (or an out-of-memory crash) instead of a typed error. A declared Content-Length past the cap is
 * refused before reading.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<BodyText> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return { text: "", tooLarge: true };
  }
  const body = response.body;
  if (!body) return { text: "", tooLarge: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { text: "", tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), tooLarge: false };
}
