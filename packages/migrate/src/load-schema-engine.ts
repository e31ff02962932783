import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as EngineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngineBindings = typeof EngineBindings;

// TypeScript's WebAssembly types live in lib.dom, which a Node package does
// not load; this is the one call we make.
interface WasmRuntime {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

interface PanicRegistry {
  set_message(message: string): void;
  get?(): string;
}

type PanicRegistryHolder = { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };

/*
 * The wasm-bindgen glue keeps the instance in a module-level variable of its
 * own, so the engine is a process-wide singleton whatever we do; loading it a
 * second time would swap the memory under engines that are still running.
 * Hence one memoised load, started on first use rather than at import.
 */
let loading: Promise<SchemaEngineBindings> | undefined;

/**
 * Loads Prisma's schema engine (migrations, diffs) from
 * `@prisma/schema-engine-wasm` without network access or engine binaries.
 *
 * The package's entry point does `import * as wasm from "./x.wasm"`, which
 * Node 20 only accepts with `--experimental-wasm-modules`. We instantiate the
 * same .wasm file from its bytes against the same glue module instead, so
 * neither tests nor the production image need that flag.
 */
export function loadSchemaEngine(): Promise<SchemaEngineBindings> {
  loading ??= instantiate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * After a Rust panic no call into the instance is safe; the next
 * `loadSchemaEngine()` starts a fresh one. Returns the panic message.
 */
export function discardPanickedEngine(): string | undefined {
  loading = undefined;
  return (globalThis as PanicRegistryHolder).PRISMA_WASM_PANIC_REGISTRY?.get?.();
}

async function instantiate(): Promise<SchemaEngineBindings> {
  installPanicRegistry();
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const runtime = (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;
  const { instance } = await runtime.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(bindings) });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bindings;
}

/**
 * The engine arms timers (e.g. the 10 s advisory-lock timeout) and never
 * clears them, so each call kept the process alive ten seconds after the work
 * was done. Unref'd timers still fire while anything else keeps the process
 * running, so the timeouts keep working.
 */
function withUnrefTimers(bindings: SchemaEngineBindings): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(bindings).map(([name, value]) => {
      if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') return [name, value];
      const setTimer = value as (...args: unknown[]) => unknown;
      return [
        name,
        (...args: unknown[]) => {
          const timer = setTimer(...args) as { unref?: () => void } | undefined;
          timer?.unref?.();
          return timer;
        },
      ];
    }),
  );
}

/**
 * The engine reports a panic's reason through this global before trapping;
 * without a registry the reason is lost and only "unreachable" remains.
 * Prisma's CLI installs the same object, so we only add one if it is missing.
 */
function installPanicRegistry(): void {
  const holder = globalThis as PanicRegistryHolder;
  if (holder.PRISMA_WASM_PANIC_REGISTRY) return;
  let last = '';
  holder.PRISMA_WASM_PANIC_REGISTRY = {
    set_message(message: string) {
      last = `RuntimeError: ${message}`;
    },
    get: () => last,
  };
}
