internal import CHDF5
import Foundation

/// Process-wide access to the HDF5 C library.
///
/// Thread safety: every HDF5 call of this module runs inside `withLock`, one recursive
/// process-wide lock. This keeps the module correct on a serial HDF5 built without
/// `--enable-threadsafe` (whose global state concurrent calls would corrupt) and also serializes
/// this module's own bookkeeping (open/closed files). Debian's 1.10.8 "serial" flavour happens to
/// be built thread-safe (`H5_HAVE_THREADSAFE`), which makes HDF5's error stacks per-thread: error
/// printing is therefore switched off on every entry, not only once. Code outside this module
/// that calls libhdf5 directly is not covered by the lock.
enum HDF5Library {
    /// The lock serializing every HDF5 call of the process (recursive: helpers nest).
    private static let lock = NSRecursiveLock()

    /// Opens the library once per process.
    private static let initialized: Bool = H5open() >= 0

    /// Runs `body` holding the HDF5 lock, after library initialization and with HDF5's automatic
    /// error-stack printing turned off for the calling thread (errors are thrown as
    /// ``HDF5Error``s instead; in a thread-safe build each thread has its own error stack, so
    /// this is repeated on every entry: one cheap `H5Eset_auto2` call).
    static func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        _ = initialized
        _ = mlr_H5_silence_errors()
        return try body()
    }

    /// The outermost and innermost descriptions on the calling thread's HDF5 error stack, joined by
    /// `": "` (e.g. `unable to open file: truncated file: eof = 800, stored_eof = 1400`), or `""`.
    /// Call right after a failure.
    static func lastErrorMessage() -> String {
        final class Collector { var messages: [String] = [] }
        let collector = Collector()
        let walker: H5E_walk2_t = { _, error, context in
            guard let error, let context else { return 0 }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            if let desc = error.pointee.desc {
                collector.messages.append(String(cString: desc))
            }
            return 0
        }
        _ = H5Ewalk2(mlr_H5E_DEFAULT(), H5E_WALK_DOWNWARD, walker,
                     Unmanaged.passUnretained(collector).toOpaque())
        let messages = collector.messages.filter { !$0.isEmpty }
        guard let outer = messages.first, let inner = messages.last else { return "" }
        return outer == inner ? outer : outer + ": " + inner
    }
}

extension HDF5Library {
    /// Whether the calling thread's HDF5 error stack holds an entry with minor code
    /// `H5E_CANTLOCKFILE` (HDF5 could not `flock` the file: another process holds a conflicting
    /// lock). Call right after a failure, before anything clears the stack.
    static func lastErrorIsLockFailure() -> Bool {
        final class Flag { var found = false; let minor = mlr_H5E_CANTLOCKFILE() }
        let flag = Flag()
        let walker: H5E_walk2_t = { _, error, context in
            guard let error, let context else { return 0 }
            let flag = Unmanaged<Flag>.fromOpaque(context).takeUnretainedValue()
            if error.pointee.min_num == flag.minor { flag.found = true }
            return 0
        }
        _ = H5Ewalk2(mlr_H5E_DEFAULT(), H5E_WALK_DOWNWARD, walker, Unmanaged.passUnretained(flag).toOpaque())
        return flag.found
    }
}

/// Where an operation happens, for error reporting: the file path and the object path.
struct HDF5Location {
    let file: String
    let object: String

    /// Throws ``HDF5Error/callFailed`` when `status < 0`.
    func check<S: BinaryInteger>(_ status: S, _ function: String) throws {
        if status < 0 { throw failure(function, status: Int(status)) }
    }

    /// Returns the file identifier `id` of `H5Fopen`/`H5Fcreate` when valid (`≥ 0`); else throws
    /// ``HDF5Error/fileLocked(file:function:message:)`` when HDF5 failed to lock the file and
    /// ``HDF5Error/callFailed`` otherwise.
    func checkFileID(_ id: hid_t, _ function: String) throws -> hid_t {
        guard id < 0 else { return id }
        if HDF5Library.lastErrorIsLockFailure() {
            throw HDF5Error.fileLocked(file: file, function: function, message: HDF5Library.lastErrorMessage())
        }
        throw failure(function, status: Int(id))
    }

    /// Returns `id` when it is a valid identifier (`≥ 0`), else throws ``HDF5Error/callFailed``.
    func checkID(_ id: hid_t, _ function: String) throws -> hid_t {
        if id < 0 { throw failure(function, status: Int(id)) }
        return id
    }

    /// The error for a failed call, with HDF5's own message.
    func failure(_ function: String, status: Int) -> HDF5Error {
        .callFailed(function: function, status: status, file: file, object: object,
                    message: HDF5Library.lastErrorMessage())
    }

    /// The location of a child named `name` (a relative path, or absolute when starting with `/`).
    func child(_ name: String) -> HDF5Location {
        HDF5Location(file: file, object: HDF5Location.join(object, name))
    }

    /// Joins an object path and a relative name (`"/" + "a"` → `"/a"`, `"/a" + "b/c"` → `"/a/b/c"`).
    static func join(_ parent: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return parent.hasSuffix("/") ? parent + name : parent + "/" + name
    }
}
