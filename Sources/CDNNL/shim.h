// Shim for oneDNN 2.6 (Debian: libdnnl-dev), C API only.
#ifndef MLR_CDNNL_SHIM_H
#define MLR_CDNNL_SHIM_H
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

/// `DNNL_MEMORY_ALLOCATE` is a pointer cast, which Swift does not import.
static inline void *mlr_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
#endif
