/**
 * Reading a callgrind dump: each function's own (self) instruction count, and a split of
 * a Node process's instructions into V8 compiling code, garbage collection, and the rest.
 *
 * The split goes by the names of the node binary's own C++ functions (Debian's node keeps
 * its symbols). JIT-compiled JavaScript has no symbol and counts as the rest. It is a
 * classification by name, so it is about right, not exact: a few small helpers that both
 * the collector and the program call (such as reading an object's size) land in one part.
 */

/** V8 turning source into bytecode and optimizing it: parser, interpreter's generator, Sparkplug, Maglev, TurboFan. */
const COMPILING =
  /v8::internal::compiler::|v8::internal::maglev::|v8::internal::baseline::|v8::internal::interpreter::|v8::internal::Parser|v8::internal::Scanner|v8::internal::Compiler::|OptimizedCompilationJob|v8::internal::Zone::|turboshaft/;

/** V8's garbage collector: scavenges, marking, sweeping, evacuation and their bookkeeping. */
const GC =
  /Scaveng|MarkCompact|Marking|Sweeper|Evacuat|v8::internal::Heap::|heap::base::|MinorMark|Pretenuring|RememberedSet|SlotSet|RecordMigratedSlot|GCTracer|MemoryChunk|PagedSpace|SemiSpace|NewSpace|LargeObjectSpace|FreeList|v8::internal::HeapObject::SizeFromMap|MemoryAllocator/;

export interface InstructionParts {
  /** V8 compiling: how much of the code was still warming up. */
  compiling: number;
  /** Garbage collection. */
  gc: number;
  /** Everything else: the JavaScript, Node, libuv, OpenSSL, libc. */
  rest: number;
}

/**
 * Each function's self instructions (the `Ir` event) in a callgrind dump. Names are
 * compressed (`fn=(12) name` the first time, `fn=(12)` after); a cost line right after
 * `calls=` is the called function's inclusive cost, not the caller's own, and is skipped.
 */
export function selfInstructions(dump: string): Map<string, number> {
  const names = new Map<string, string>();
  const name = (spec: string): string => {
    const match = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!match) return spec;
    if (match[2] !== undefined) names.set(match[1]!, match[2]);
    return names.get(match[1]!) ?? spec;
  };
  const costs = new Map<string, number>();
  let fn = '';
  let callCost = false;
  // A cost line is its positions (`line` by default, or `instr line`), then the counts.
  let irColumn = 1;
  for (const line of dump.split('\n')) {
    if (line.startsWith('positions:')) irColumn = line.slice(10).trim().split(/\s+/).length;
    else if (line.startsWith('fn=')) fn = name(line.slice(3));
    else if (line.startsWith('cfn=')) name(line.slice(4));
    else if (line.startsWith('calls=')) callCost = true;
    else if (/^[\d+*-]/.test(line)) {
      if (callCost) callCost = false;
      else costs.set(fn, (costs.get(fn) ?? 0) + Number(line.split(' ')[irColumn] ?? 0));
    }
  }
  return costs;
}

/** Splits self instructions into compiling, garbage collection and the rest. */
export function instructionParts(costs: Map<string, number>): InstructionParts {
  const parts: InstructionParts = { compiling: 0, gc: 0, rest: 0 };
  for (const [fn, count] of costs) {
    if (COMPILING.test(fn)) parts.compiling += count;
    else if (GC.test(fn)) parts.gc += count;
    else parts.rest += count;
  }
  return parts;
}
