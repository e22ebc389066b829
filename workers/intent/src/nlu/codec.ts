/** Typed arrays ⇄ base64 (btoa/atob exist in workerd and Node) so artifacts stay compact JSON. */
import { f32, i8, num } from "./checked.ts";

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Little-endian on every platform Workers and Node run on; asserted once here. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function uint32ToBase64(values: Uint32Array): string {
  if (!LITTLE_ENDIAN) throw new Error("big-endian platforms are not supported");
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function base64ToUint32(base64: string): Uint32Array {
  const bytes = base64ToBytes(base64);
  if (bytes.length % 4 !== 0) throw new Error("uint32 array: byte length is not a multiple of 4");
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

export function int8ToBase64(values: Int8Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function base64ToInt8(base64: string): Int8Array {
  const bytes = base64ToBytes(base64);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** uint8 codes of a table of floats: value ≈ base + code × scale (an affine map over [min, max]). */
export function quantizeUint8(values: Float32Array): { codes: Uint8Array; base: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (values.length === 0) return { codes: new Uint8Array(0), base: 0, scale: 0 };
  const base = Math.fround(min);
  const scale = Math.fround((max - min) / 255);
  return { codes: Uint8Array.from(values, (value) => (scale > 0 ? Math.round((value - base) / scale) : 0)), base, scale };
}

/**
 * Symmetric int8 quantisation with one scale per column of a row-major [rows × columns] matrix,
 * dropping rows whose weights all round to zero. Returns kept row indices, codes and scales.
 */
export function quantizeColumns(
  matrix: Float32Array,
  rows: number,
  columns: number,
): { keptRows: number[]; codes: Int8Array; scales: number[] } {
  const scales: number[] = [];
  for (let c = 0; c < columns; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(f32(matrix, r * columns + c)));
    scales.push(max > 0 ? Math.fround(max / 127) : 1);
  }
  const keptRows: number[] = [];
  const rowCodes = new Int8Array(columns);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let nonzero = false;
    for (let c = 0; c < columns; c++) {
      const code = Math.round(f32(matrix, r * columns + c) / num(scales, c));
      rowCodes[c] = code;
      if (code !== 0) nonzero = true;
    }
    if (!nonzero) continue;
    keptRows.push(r);
    for (let c = 0; c < columns; c++) out.push(i8(rowCodes, c));
  }
  return { keptRows, codes: Int8Array.from(out), scales };
}
