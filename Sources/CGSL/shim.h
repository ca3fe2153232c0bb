// Shim for the GNU Scientific Library 2.7 (Debian: libgsl-dev).
//
// Pitfalls handled here (measured, ../shared/DESIGN.md §7):
// - GSL's gsl_cblas.h and OpenBLAS's cblas.h declare clashing enums when both reach one Swift
//   module: OpenBLAS's header comes first and `__GSL_CBLAS_H__` keeps GSL's out.
// - Swift 6 rejects GSL's mutable globals (`gsl_interp_cspline`, ...): the accessors below return
//   them through functions.
#ifndef MLR_CGSL_SHIM_H
#define MLR_CGSL_SHIM_H

#include <cblas.h>
#define __GSL_CBLAS_H__ 1

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_spline.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_version.h>
#include <gsl/gsl_bspline.h>
#include <gsl/gsl_linalg.h>

static inline const gsl_interp_type *mlr_gsl_interp_linear(void) { return gsl_interp_linear; }
static inline const gsl_interp_type *mlr_gsl_interp_polynomial(void) { return gsl_interp_polynomial; }
static inline const gsl_interp_type *mlr_gsl_interp_cspline(void) { return gsl_interp_cspline; }
static inline const gsl_interp_type *mlr_gsl_interp_cspline_periodic(void) { return gsl_interp_cspline_periodic; }
static inline const gsl_interp_type *mlr_gsl_interp_akima(void) { return gsl_interp_akima; }
static inline const gsl_interp_type *mlr_gsl_interp_akima_periodic(void) { return gsl_interp_akima_periodic; }
static inline const gsl_interp_type *mlr_gsl_interp_steffen(void) { return gsl_interp_steffen; }

/// GSL's library version string (`gsl_version`), e.g. "2.7.1".
static inline const char *mlr_gsl_version(void) { return gsl_version; }

#endif
