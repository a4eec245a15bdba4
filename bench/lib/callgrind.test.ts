import { describe, expect, it } from 'vitest';
import { instructionParts, selfInstructions } from './callgrind';

/** A dump in callgrind's format, with name compression and a call whose inclusive cost must not count. */
const DUMP = `# callgrind format
version: 1
positions: line
events: Ir
summary: 1160

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) v8::internal::compiler::GraphReducer::ReduceTop()
0 100
+2 50
cfn=(2) v8::internal::Scavenger::ScavengeObject(v8::internal::HeapObject)
calls=3 0
0 9999
fn=(2)
0 200
fn=(3) 0x000000000d044c14
* 400
fn=(4) node::StreamBase::Writev(v8::FunctionCallbackInfo<v8::Value> const&)
-1 300
fn=(1)
0 10
fn=(5) v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace)
0 100
`;

describe('selfInstructions', () => {
  it('adds up each function’s own cost under its first-given name, leaving out the cost of calls', () => {
    expect(Object.fromEntries(selfInstructions(DUMP))).toEqual({
      'v8::internal::compiler::GraphReducer::ReduceTop()': 160,
      'v8::internal::Scavenger::ScavengeObject(v8::internal::HeapObject)': 200,
      '0x000000000d044c14': 400,
      'node::StreamBase::Writev(v8::FunctionCallbackInfo<v8::Value> const&)': 300,
      'v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace)': 100,
    });
  });

  it('reads the count after every position column', () => {
    const dump = 'positions: instr line\nevents: Ir\nfn=(1) f\n0x10 3 70\n+4 * 5\n';
    expect(selfInstructions(dump).get('f')).toBe(75);
  });
});

describe('instructionParts', () => {
  it('puts V8’s compiler, its collector and everything else (JIT code included) in their parts', () => {
    expect(instructionParts(selfInstructions(DUMP))).toEqual({ compiling: 160, gc: 300, rest: 700 });
  });
});
