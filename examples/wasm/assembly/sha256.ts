/**
 * SHA-256 (FIPS 180-4) over bytes, and `rounds`: the digest hashed over and over, each round
 * hashing the previous 32-byte digest. The same algorithm as the plain-JS bench tool.
 */

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const W = new StaticArray<u32>(64);
const H = new StaticArray<u32>(8);

function block(data: Uint8Array, offset: i32): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    unchecked(W[t] = (<u32>data[i] << 24) | (<u32>data[i + 1] << 16) | (<u32>data[i + 2] << 8) | <u32>data[i + 3]);
  }
  for (let t = 16; t < 64; t++) {
    const w15 = unchecked(W[t - 15]);
    const w2 = unchecked(W[t - 2]);
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    unchecked(W[t] = unchecked(W[t - 16]) + s0 + unchecked(W[t - 7]) + s1);
  }
  let a = unchecked(H[0]), b = unchecked(H[1]), c = unchecked(H[2]), d = unchecked(H[3]);
  let e = unchecked(H[4]), f = unchecked(H[5]), g = unchecked(H[6]), h = unchecked(H[7]);
  for (let t = 0; t < 64; t++) {
    const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + S1 + ch + unchecked(K[t]) + unchecked(W[t]);
    const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = S0 + maj;
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  unchecked(H[0] += a); unchecked(H[1] += b); unchecked(H[2] += c); unchecked(H[3] += d);
  unchecked(H[4] += e); unchecked(H[5] += f); unchecked(H[6] += g); unchecked(H[7] += h);
}

/** SHA-256 of `input` into `out` (32 bytes). */
export function sha256(input: Uint8Array, out: Uint8Array): void {
  H[0] = 0x6a09e667; H[1] = 0xbb67ae85; H[2] = 0x3c6ef372; H[3] = 0xa54ff53a;
  H[4] = 0x510e527f; H[5] = 0x9b05688c; H[6] = 0x1f83d9ab; H[7] = 0x5be0cd19;
  const length = input.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(input);
  padded[length] = 0x80;
  const bits = <u64>length * 8;
  for (let i = 0; i < 8; i++) padded[padded.length - 1 - i] = <u8>(bits >>> (<u64>i * 8));
  for (let offset = 0; offset < padded.length; offset += 64) block(padded, offset);
  for (let i = 0; i < 8; i++) {
    const word = unchecked(H[i]);
    out[i * 4] = <u8>(word >>> 24);
    out[i * 4 + 1] = <u8>(word >>> 16);
    out[i * 4 + 2] = <u8>(word >>> 8);
    out[i * 4 + 3] = <u8>word;
  }
}

/** The hex digest of `text` hashed `rounds` times over. */
export function sha256Rounds(text: string, rounds: i32): string {
  const digest = new Uint8Array(32);
  sha256(Uint8Array.wrap(String.UTF8.encode(text)), digest);
  for (let i = 1; i < rounds; i++) sha256(digest, digest);
  let hex = '';
  for (let i = 0; i < 32; i++) {
    const byte = digest[i];
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex;
}
