// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
// Small CMake project: a static C++ library.
long lop_mul(long a, long b) { return a * b; }
