// Shim for zlib 1.2 (Debian: zlib1g-dev).
#ifndef MLR_CZLIB_SHIM_H
#define MLR_CZLIB_SHIM_H
#include <zlib.h>
#endif
