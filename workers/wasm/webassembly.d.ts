/**
 * The part of the WebAssembly JS API that the wasm runner uses: Node has it as a global, but
 * `@types/node` 20 does not declare it and this project compiles without the DOM library.
 */
declare global {
  namespace WebAssembly {
    interface ModuleImportDescriptor {
      module: string;
      name: string;
      kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
    }
    interface ModuleExportDescriptor {
      name: string;
      kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
    }
    class Module {
      constructor(bytes: Uint8Array);
      static imports(module: Module): ModuleImportDescriptor[];
      static exports(module: Module): ModuleExportDescriptor[];
    }
    class Instance {
      constructor(module: Module, imports: Record<string, unknown>);
      readonly exports: Record<string, unknown>;
    }
    class RuntimeError extends Error {}
    function compile(bytes: Uint8Array): Promise<Module>;
  }
}

export {};
