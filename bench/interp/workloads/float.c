// Floating point: dense double matrix multiply and a single-precision series, repeated.
#include "workload.h"

#define M 64
static double x[M][M], y[M][M], z[M][M];

uint64_t workload(void) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      x[i][j] = (i * 7 + j * 3) % 17 * 0.25;
      y[i][j] = (i * 5 + j * 11) % 13 * 0.5;
    }
  double total = 0;
  for (int round = 0; round < 40; round++) {
    for (int i = 0; i < M; i++)
      for (int j = 0; j < M; j++) {
        double s = 0;
        for (int k = 0; k < M; k++) s += x[i][k] * y[k][j];
        z[i][j] = s / (1.0 + round);
      }
    total += z[round % M][(round * 3) % M];
  }
  float f = 0.0f;
  for (int i = 1; i < 400000; i++) f += 1.0f / ((float)i * (float)i);
  return (uint64_t)(total * 1000.0) ^ (uint64_t)(f * 1e6f);
}
