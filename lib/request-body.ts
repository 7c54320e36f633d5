// Reading a request body with a limit: the bytes are counted as they arrive and reading stops
// past the limit, so a large (or endless) body is refused before it is held in memory.
import { PayloadTooLarge } from "./errors";

/** Reads at most `limit` bytes; a longer body is refused (413) before it is buffered whole. */
export async function readLimited(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new PayloadTooLarge(`the request body is over ${limit} bytes`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
