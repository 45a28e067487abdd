/**
 * A small JSON reader and writer for plugins (AssemblyScript has no JSON built in): parses a
 * document into `JsonValue` trees and quotes strings for output. Enough for MCP requests.
 */

/** Kinds of JSON value. */
export const enum Kind { Null, Bool, Number, String, Array, Object }

/** One parsed JSON value. */
export class JsonValue {
  kind: Kind = Kind.Null;
  bool: bool = false;
  num: f64 = 0;
  str: string = '';
  items: JsonValue[] = [];
  keys: string[] = [];

  /** The member `key` of an object, or null. */
  get(key: string): JsonValue | null {
    if (this.kind != Kind.Object) return null;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.items[i];
    return null;
  }

  /** The string member `key`, or `fallback`. */
  getString(key: string, fallback: string): string {
    const value = this.get(key);
    return value != null && value.kind == Kind.String ? value.str : fallback;
  }

  /** The number member `key`, or `fallback`. */
  getNumber(key: string, fallback: f64): f64 {
    const value = this.get(key);
    return value != null && value.kind == Kind.Number ? value.num : fallback;
  }
}

class Parser {
  pos: i32 = 0;
  constructor(public text: string) {}

  skip(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 32 && c != 9 && c != 10 && c != 13) break;
      this.pos++;
    }
  }

  value(): JsonValue {
    this.skip();
    const out = new JsonValue();
    const c = this.text.charCodeAt(this.pos);
    if (c == 123) {
      out.kind = Kind.Object;
      this.pos++;
      this.skip();
      if (this.text.charCodeAt(this.pos) == 125) { this.pos++; return out; }
      while (true) {
        this.skip();
        out.keys.push(this.string());
        this.skip();
        this.pos++; // ':'
        out.items.push(this.value());
        this.skip();
        const next = this.text.charCodeAt(this.pos++);
        if (next != 44) break; // ','
      }
    } else if (c == 91) {
      out.kind = Kind.Array;
      this.pos++;
      this.skip();
      if (this.text.charCodeAt(this.pos) == 93) { this.pos++; return out; }
      while (true) {
        out.items.push(this.value());
        this.skip();
        const next = this.text.charCodeAt(this.pos++);
        if (next != 44) break;
      }
    } else if (c == 34) {
      out.kind = Kind.String;
      out.str = this.string();
    } else if (c == 116) { out.kind = Kind.Bool; out.bool = true; this.pos += 4; }
    else if (c == 102) { out.kind = Kind.Bool; this.pos += 5; }
    else if (c == 110) { this.pos += 4; }
    else {
      out.kind = Kind.Number;
      const start = this.pos;
      while (this.pos < this.text.length) {
        const d = this.text.charCodeAt(this.pos);
        if (!((d >= 48 && d <= 57) || d == 45 || d == 43 || d == 46 || d == 101 || d == 69)) break;
        this.pos++;
      }
      out.num = parseFloat(this.text.substring(start, this.pos));
    }
    return out;
  }

  string(): string {
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c == 34) break;
      if (c == 92) {
        out += this.text.substring(start, this.pos);
        const e = this.text.charCodeAt(this.pos + 1);
        this.pos += 2;
        if (e == 110) out += '\n';
        else if (e == 116) out += '\t';
        else if (e == 114) out += '\r';
        else if (e == 98) out += '\b';
        else if (e == 102) out += '\f';
        else if (e == 117) {
          out += String.fromCharCode(<i32>parseInt(this.text.substring(this.pos, this.pos + 4), 16));
          this.pos += 4;
        } else out += String.fromCharCode(e);
        start = this.pos;
        continue;
      }
      this.pos++;
    }
    out += this.text.substring(start, this.pos);
    this.pos++; // closing quote
    return out;
  }
}

/** Parses a JSON document (assumed well formed: it comes from the host). */
export function parse(text: string): JsonValue {
  return new Parser(text).value();
}

/** A JSON string literal of `s`. */
export function quote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 34 || c == 92 || c < 32) {
      out += s.substring(start, i);
      if (c == 34) out += '\\"';
      else if (c == 92) out += '\\\\';
      else if (c == 10) out += '\\n';
      else if (c == 13) out += '\\r';
      else if (c == 9) out += '\\t';
      else {
        const hex = c.toString(16);
        out += '\\u' + '0000'.substring(hex.length) + hex;
      }
      start = i + 1;
    }
  }
  return out + s.substring(start) + '"';
}

/** A `CallToolResult` with one text block. */
export function textResult(text: string, isError: bool = false): string {
  return '{"content":[{"type":"text","text":' + quote(text) + '}]' + (isError ? ',"isError":true' : '') + '}';
}
