// Shim for OpenBLAS 0.3 (Debian: libopenblas-dev; header from pkg-config `openblas`).
#ifndef MLR_COPENBLAS_SHIM_H
#define MLR_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
