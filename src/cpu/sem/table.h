#pragma once
// Which operations have an engine-neutral semantic function, and which one. Each group of
// semantics lists its functions once, in an add_*_semantics(sink) template; an engine
// passes a sink that turns each function into what it runs (the interpreter: a chained
// handler; the JIT: a call it emits). This table is the sink that keeps plain pointers:
// the JIT's fallback for any operation it does not translate itself.
#include "cpu/sem/semantic.h"

namespace strata::sem {

// Null when the operation's semantics are one ALU line or control flow, which each engine
// implements itself (on cpu/alu.h).
SemFn semantic_function(Op op);

// Hands every engine-neutral semantic function to `sink` (sink.add<F>(op)).
template <class Sink>
void add_all_semantics(Sink& sink);

}  // namespace strata::sem
