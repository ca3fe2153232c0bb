// Shim for oneDNN 2.6 (Debian: libdnnl-dev), C API only.
#ifndef MLR_CDNNL_SHIM_H
#define MLR_CDNNL_SHIM_H
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#endif
