export type Decoded = { kind: "text"; text: string } | { kind: "binary" };

// Git's heuristic: text files have no NUL byte near their start.
const SNIFF_BYTES = 8000;

/**
 * Bytes to text: UTF-8 with or without a BOM, UTF-16 LE/BE with a BOM. Invalid sequences become
 * U+FFFD instead of failing; a file with NUL bytes (and no UTF-16 BOM) is reported as binary.
 */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { kind: "text", text: new TextDecoder("utf-8").decode(bytes.subarray(3)) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { kind: "text", text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { kind: "text", text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  }
  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { kind: "binary" };
  return { kind: "text", text: new TextDecoder("utf-8").decode(bytes) };
}
