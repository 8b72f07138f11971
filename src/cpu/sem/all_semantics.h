#pragma once
// The definition of add_all_semantics: included by the sinks' files only, since it pulls in
// every semantic group.
#include "cpu/sem/atomic.h"
#include "cpu/sem/fp.h"
#include "cpu/sem/load_store.h"
#include "cpu/sem/system.h"
#include "cpu/sem/table.h"

namespace strata::sem {

template <class Sink>
void add_all_semantics(Sink& sink) {
  add_load_store_semantics(sink);
  add_atomic_semantics(sink);
  add_system_semantics(sink);
  add_fp_semantics(sink);
}

}  // namespace strata::sem
