#pragma once
// The software floating-point core used by the F and D handlers: exact IEEE 754 arithmetic
// with RISC-V's NaN, rounding and flag rules, templated on the format (F32 or F64).
#include "cpu/fp/add.h"
#include "cpu/fp/classify.h"
#include "cpu/fp/compare.h"
#include "cpu/fp/convert.h"
#include "cpu/fp/div.h"
#include "cpu/fp/fma.h"
#include "cpu/fp/format.h"
#include "cpu/fp/mul.h"
#include "cpu/fp/nan_box.h"
#include "cpu/fp/round.h"
#include "cpu/fp/sqrt.h"
