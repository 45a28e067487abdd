/**
 * @module workers/wasm/memory-limit
 * Caps a WebAssembly module's linear memory by rewriting the maximum its binary declares (in the
 * memory section, or on an imported memory): past it `memory.grow` fails and the plugin traps.
 *
 * Why rewrite the binary: neither a worker's `resourceLimits` (V8 heap only; a plugin's memory
 * grew to 512 MiB under a 16 MB limit here) nor Extism 1.0's `memory.maxPages` (ignored for the
 * plugin's own memory) bound it, and the declared maximum is what V8 enforces on every grow.
 */

/** Bytes in one WebAssembly page. */
const PAGE_BYTES = 65_536;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const IMPORT_MEMORY = 2;

/** A byte cursor over a module. */
class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('the module ends early (truncated binary)');
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 (up to 2^53). */
  leb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  skip(count: number): void {
    this.pos += count;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** Reads memory limits at the cursor and returns them rewritten with `maxPages` as the maximum. */
function cappedLimits(reader: Reader, maxPages: number, where: string): number[] {
  const flags = reader.byte();
  if ((flags & 0x04) !== 0) throw new Error(`${where}: 64-bit memories are not supported`);
  const min = reader.leb();
  const declaredMax = (flags & 0x01) !== 0 ? reader.leb() : Infinity;
  if (min > maxPages) {
    throw new Error(`${where} needs ${(min * PAGE_BYTES) / 1_048_576} MB at start, more than memoryLimitMb allows (${(maxPages * PAGE_BYTES) / 1_048_576} MB)`);
  }
  return [flags | 0x01, ...leb(min), ...leb(Math.min(declaredMax, maxPages))];
}

/** Skips an import's description (after its module and field names). */
function skipImportDescription(reader: Reader, kind: number): void {
  switch (kind) {
    case 0: // function: type index
      reader.leb();
      return;
    case 1: {
      // table: element type, limits
      reader.byte();
      const flags = reader.byte();
      reader.leb();
      if ((flags & 0x01) !== 0) reader.leb();
      return;
    }
    case 3: // global: value type, mutability
      reader.byte();
      reader.byte();
      return;
    case 4: // tag: attribute, type index
      reader.byte();
      reader.leb();
      return;
    default:
      throw new Error(`unknown import kind ${kind}`);
  }
}

function rewriteImports(content: Uint8Array, maxPages: number): number[] {
  const reader = new Reader(content);
  const out: number[] = [];
  const count = reader.leb();
  out.push(...leb(count));
  for (let i = 0; i < count; i++) {
    const start = reader.pos;
    reader.skip(reader.leb());
    reader.skip(reader.leb());
    const kind = reader.byte();
    out.push(...content.subarray(start, reader.pos));
    if (kind === IMPORT_MEMORY) {
      out.push(...cappedLimits(reader, maxPages, 'the imported memory'));
    } else {
      const at = reader.pos;
      skipImportDescription(reader, kind);
      out.push(...content.subarray(at, reader.pos));
    }
  }
  return out;
}

function rewriteMemories(content: Uint8Array, maxPages: number): number[] {
  const reader = new Reader(content);
  const count = reader.leb();
  const out = leb(count);
  for (let i = 0; i < count; i++) out.push(...cappedLimits(reader, maxPages, 'the module'));
  return out;
}

/**
 * The module with every memory's maximum set to at most `limitMb` (a declared lower maximum
 * stays). Throws an `Error` naming the problem when the binary cannot be read or needs more at start.
 */
export function capMemory(module: Uint8Array, limitMb: number): Uint8Array {
  const maxPages = Math.max(1, Math.floor((limitMb * 1_048_576) / PAGE_BYTES));
  const reader = new Reader(module);
  if (module.length < 8 || module[0] !== 0x00 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) throw new Error('not a WebAssembly module (bad magic)');
  reader.pos = 8;
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  while (reader.pos < module.length) {
    const start = reader.pos;
    const id = reader.byte();
    const size = reader.leb();
    const contentStart = reader.pos;
    reader.skip(size);
    if (reader.pos > module.length) throw new Error('the module ends early (truncated section)');
    const content = module.subarray(contentStart, reader.pos);
    if (id === SECTION_IMPORT || id === SECTION_MEMORY) {
      const rewritten = id === SECTION_IMPORT ? rewriteImports(content, maxPages) : rewriteMemories(content, maxPages);
      parts.push(Uint8Array.from([id, ...leb(rewritten.length), ...rewritten]));
    } else {
      parts.push(module.subarray(start, reader.pos));
    }
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
