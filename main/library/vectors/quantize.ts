// How vectors are kept: L2-normalized, then int8 with a per-vector scale (for rescoring, 4× smaller
// than float32), and one sign bit per dimension of (vector − the model's center) (for the scan,
// 32× smaller). test/bench/vectors.ts measures what each costs in recall against exact float search.

/** Scales v to unit length in place; a zero vector stays zero. Returns v. */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

export interface Int8Vector {
  values: Int8Array;
  /** value ≈ values[i] × scale. */
  scale: number;
}

/** Symmetric int8 with the vector's own scale: its largest component becomes ±127. */
export function toInt8(v: Float32Array): Int8Vector {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const values = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) values[i] = Math.round(v[i]! / scale);
  return { values, scale };
}

/** 32-bit words of a binary code of `dims` dimensions. */
export const codeWords = (dims: number) => Math.ceil(dims / 32);

/**
 * One bit per dimension: set where the vector is above the center. Embedding models share a
 * large common direction (every cosine between e5 vectors is above 0.7), so signs around zero
 * would mostly agree; around the mean of the library's vectors they split.
 */
export function toCode(v: Float32Array, center: Float32Array | null): Uint32Array {
  const code = new Uint32Array(codeWords(v.length));
  for (let i = 0; i < v.length; i++) if (v[i]! > (center ? center[i]! : 0)) code[i >>> 5]! |= 1 << (i & 31);
  return code;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** The dot product of an int8 vector with a float one, in the float's units. */
export function dotInt8(query: Float32Array, v: Int8Vector): number {
  let sum = 0;
  const values = v.values;
  for (let i = 0; i < values.length; i++) sum += query[i]! * values[i]!;
  return sum * v.scale;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
export const float32Of = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
export const int8Of = (b: Buffer) => new Int8Array(b.buffer, b.byteOffset, b.byteLength);
export const uint32Of = (b: Buffer) => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
