/**
 * A published version's parts are stored and sent gzip-compressed (CompressionStream: the same in
 * workerd and Node): JSON of bot definitions and NLU models shrinks three- to fivefold.
 */
export async function gzipText(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function gunzipText(bytes: Uint8Array): Promise<string> {
  // A copy on its own ArrayBuffer: what Blob takes (RPC may hand over a view of a larger buffer).
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}
