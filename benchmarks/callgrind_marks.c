/* Marks for benchmarks/instructions.py: callgrind's client requests, callable from Python through ctypes.
   Built by instructions.py into a temporary directory; under plain Python (no valgrind) every call is a no-op. */
#include <valgrind/callgrind.h>

void marks_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void marks_zero(void) { CALLGRIND_ZERO_STATS; }
void marks_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }
int marks_on_valgrind(void) { return RUNNING_ON_VALGRIND; }
