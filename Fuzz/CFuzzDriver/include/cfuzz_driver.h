#ifndef CFUZZ_DRIVER_H
#define CFUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer's entry for programs with their own main (provided by -sanitize=fuzzer; only
   referenced in builds with -DFUZZING). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
