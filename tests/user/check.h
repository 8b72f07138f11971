/* Self-checking guest test programs: CHECK() prints each failure; main returns the count. */
#pragma once
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond)                                                                                 \
  do {                                                                                              \
    checks++;                                                                                       \
    if (!(cond)) {                                                                                  \
      printf("FAIL %s:%d: %s (errno %d: %s)\n", __FILE__, __LINE__, #cond, errno, strerror(errno)); \
      fflush(stdout);                                                                               \
      failures++;                                                                                   \
    }                                                                                               \
  } while (0)

#define CHECK_EQ(a, b)                                                                                   \
  do {                                                                                                   \
    long long va_ = (long long)(a), vb_ = (long long)(b);                                                \
    checks++;                                                                                            \
    if (va_ != vb_) {                                                                                    \
      printf("FAIL %s:%d: %s == %s (%lld vs %lld, errno %d)\n", __FILE__, __LINE__, #a, #b, va_, vb_, errno); \
      fflush(stdout);                                                                                    \
      failures++;                                                                                        \
    }                                                                                                    \
  } while (0)

static inline int report(const char* name) {
  printf("%s: %d checks, %d failed\n", name, checks, failures);
  return failures ? 1 : 0;
}
