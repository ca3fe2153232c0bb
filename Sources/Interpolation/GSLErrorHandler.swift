internal import CGSL

/// Switches GSL's default error handler off, once per process, the first time it is read.
///
/// GSL's default handler prints a message and calls `abort()` on any error, which would let bad
/// input crash the caller. With the handler off, every GSL function reports failure through its
/// return status, which this module converts into a thrown ``InterpolationError``. Every path that
/// reaches GSL reads this value first (`_ = gslErrorHandlerOff`); Swift runs the initializer exactly
/// once, thread-safely.
///
/// The setting is process-wide: it also applies to other users of GSL in the same process (the
/// `Statistics` module makes the same choice).
///
/// Reference: `gsl_set_error_handler_off` (GSL manual §3.2.1, "Error handlers").
let gslErrorHandlerOff: Void = { _ = gsl_set_error_handler_off() }()
