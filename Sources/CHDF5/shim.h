// Shim for HDF5 1.10 (Debian: libhdf5-dev, headers in /usr/include/hdf5/serial).
//
// HDF5's type and flag macros (`H5T_NATIVE_FLOAT`, `H5F_ACC_TRUNC`, `H5P_DEFAULT`, ...) expand to
// `H5OPEN`/`H5CHECK` expressions that Swift cannot import; the static inline accessors below return
// their values (../shared/DESIGN.md §7).
#ifndef MLR_CHDF5_SHIM_H
#define MLR_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t mlr_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t mlr_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t mlr_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t mlr_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t mlr_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t mlr_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t mlr_H5P_GROUP_CREATE(void) { return H5P_GROUP_CREATE; }

static inline unsigned mlr_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned mlr_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned mlr_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned mlr_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }

static inline hid_t mlr_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t mlr_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t mlr_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t mlr_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t mlr_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t mlr_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t mlr_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t mlr_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t mlr_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t mlr_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t mlr_H5T_STD_U8LE(void) { return H5T_STD_U8LE; }

static inline size_t mlr_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t mlr_H5E_DEFAULT(void) { return H5E_DEFAULT; }
/// The minor error code HDF5 pushes when it cannot lock a file (another process holds a conflicting lock).
static inline hid_t mlr_H5E_CANTLOCKFILE(void) { return H5E_CANTLOCKFILE; }

static inline H5_index_t mlr_H5_INDEX_NAME(void) { return H5_INDEX_NAME; }
static inline H5_iter_order_t mlr_H5_ITER_INC(void) { return H5_ITER_INC; }

/// Turns off HDF5's automatic printing of error stacks for the default error stack.
static inline herr_t mlr_H5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
