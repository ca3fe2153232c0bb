internal import CHDF5

/// A group (directory of named links) inside an open ``HDF5File``.
///
/// Names given to a group's methods are paths relative to the group (`"stages/1"`), or absolute
/// within the file when they start with `/`. Datasets are in `HDF5Group+Datasets.swift`.
///
/// Invariants: a group keeps its file's identifier alive; after `HDF5File.close()` every method
/// throws ``HDF5Error/fileClosed(file:object:)``.
///
/// Reference: `H5Gcreate2`, `H5Gopen2`, `H5Gget_info`, `H5Lexists`, `H5Lget_name_by_idx`,
/// `H5Oget_info_by_name2` (HDF5 1.10).
public final class HDF5Group: @unchecked Sendable {
    /// A link in a group: its name and the kind of object it points to.
    public struct Child: Hashable, Sendable {
        /// The link name (one path component).
        public let name: String
        /// What the link points to.
        public let kind: HDF5ObjectKind

        /// A link description.
        /// - Parameters:
        ///   - name: the link name.
        ///   - kind: what it points to.
        public init(name: String, kind: HDF5ObjectKind) {
            self.name = name
            self.kind = kind
        }
    }

    /// The group's absolute path in the file (`/` for the root group).
    public let path: String
    /// The group's attributes.
    public let attributes: HDF5Attributes

    let handle: HDF5ObjectHandle
    var file: HDF5FileHandle { handle.file }
    var location: HDF5Location { handle.location }

    private init(handle: HDF5ObjectHandle) {
        self.handle = handle
        self.path = handle.location.object
        self.attributes = HDF5Attributes(owner: handle)
    }

    /// Opens the group at absolute `path` of `file` (call under the lock).
    static func open(in file: HDF5FileHandle, path: String) throws -> HDF5Group {
        let location = HDF5Location(file: file.path, object: path)
        let id = try location.checkID(H5Gopen2(file.id, path, mlr_H5P_DEFAULT()), "H5Gopen2")
        return HDF5Group(handle: HDF5ObjectHandle(id: id, file: file, object: path))
    }

    /// Creates a child group.
    ///
    /// - Parameters:
    ///   - name: the new group's path relative to this group (or absolute).
    ///   - createIntermediates: create missing groups along `name` (like `mkdir -p`).
    /// - Returns: the new, open group.
    /// - Throws: ``HDF5Error/readOnlyFile(file:object:)``; ``HDF5Error/objectExists(file:object:)``
    ///   when `name` exists; ``HDF5Error/callFailed(function:status:file:object:message:)`` naming
    ///   `H5Gcreate2` (e.g. a missing intermediate group without `createIntermediates`).
    @discardableResult
    public func createGroup(_ name: String, createIntermediates: Bool = false) throws -> HDF5Group {
        try HDF5Library.withLock {
            let target = location.child(name)
            try file.ensureWritable(target.object)
            guard try kind(of: name) == nil else {
                throw HDF5Error.objectExists(file: target.file, object: target.object)
            }
            let lcpl = try linkCreationList(createIntermediates: createIntermediates, target)
            defer { _ = H5Pclose(lcpl) }
            let id = try target.checkID(
                H5Gcreate2(handle.id, name, lcpl, mlr_H5P_DEFAULT(), mlr_H5P_DEFAULT()), "H5Gcreate2")
            return HDF5Group(handle: HDF5ObjectHandle(id: id, file: file, object: target.object))
        }
    }

    /// Opens an existing child group.
    ///
    /// - Parameter name: the group's path relative to this group (or absolute).
    /// - Returns: the open group.
    /// - Throws: ``HDF5Error/missingObject(file:object:kind:)`` when nothing is linked at `name`;
    ///   ``HDF5Error/wrongObjectKind(file:object:expected:found:)`` when it is not a group;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Gopen2`.
    public func openGroup(_ name: String) throws -> HDF5Group {
        try HDF5Library.withLock {
            let target = location.child(name)
            try file.ensureOpen(target.object)
            switch try kind(of: name) {
            case nil:
                throw HDF5Error.missingObject(file: target.file, object: target.object, kind: .group)
            case .group?:
                let id = try target.checkID(H5Gopen2(handle.id, name, mlr_H5P_DEFAULT()), "H5Gopen2")
                return HDF5Group(handle: HDF5ObjectHandle(id: id, file: file, object: target.object))
            case let found?:
                throw HDF5Error.wrongObjectKind(file: target.file, object: target.object,
                                                expected: .group, found: found)
            }
        }
    }

    /// Opens the child group at `name`, creating it and any missing intermediate groups first.
    ///
    /// - Parameter name: the group's path relative to this group (or absolute).
    /// - Returns: the open group.
    /// - Throws: ``HDF5Error/wrongObjectKind(file:object:expected:found:)`` when a dataset exists at
    ///   `name`; ``HDF5Error/readOnlyFile(file:object:)`` when it must be created in a read-only
    ///   file; the errors of ``createGroup(_:createIntermediates:)``.
    @discardableResult
    public func requireGroup(_ name: String) throws -> HDF5Group {
        try HDF5Library.withLock {
            try file.ensureOpen(location.child(name).object)
            if try kind(of: name) == nil {
                return try createGroup(name, createIntermediates: true)
            }
            return try openGroup(name)
        }
    }

    /// Whether a link exists at `name` (every component of the path must exist).
    ///
    /// - Parameter name: a path relative to this group (or absolute).
    /// - Returns: `true` when a group, dataset or other object is linked there.
    /// - Throws: ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Lexists`.
    public func contains(_ name: String) throws -> Bool {
        try HDF5Library.withLock {
            try file.ensureOpen(location.child(name).object)
            return try kind(of: name) != nil
        }
    }

    /// The kind of the object at `name`.
    ///
    /// - Parameter name: a path relative to this group (or absolute).
    /// - Returns: the kind.
    /// - Throws: ``HDF5Error/missingObject(file:object:kind:)`` (kind `.other`) when nothing is
    ///   linked there; ``HDF5Error/fileClosed(file:object:)``.
    public func kindOfObject(_ name: String) throws -> HDF5ObjectKind {
        try HDF5Library.withLock {
            let target = location.child(name)
            try file.ensureOpen(target.object)
            guard let found = try kind(of: name) else {
                throw HDF5Error.missingObject(file: target.file, object: target.object, kind: .other)
            }
            return found
        }
    }

    /// The links of this group with the kind of object each points to.
    ///
    /// Order: by name, bytewise (UTF-8) ascending, so `"10"` sorts before `"2"`.
    /// - Returns: one entry per link.
    /// - Throws: ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Gget_info` or
    ///   `H5Lget_name_by_idx`.
    public func children() throws -> [Child] {
        try HDF5Library.withLock {
            try file.ensureOpen(path)
            var info = H5G_info_t()
            try location.check(H5Gget_info(handle.id, &info), "H5Gget_info")
            var result: [Child] = []
            for index in 0..<info.nlinks {
                let length = H5Lget_name_by_idx(handle.id, ".", mlr_H5_INDEX_NAME(), mlr_H5_ITER_INC(),
                                                index, nil, 0, mlr_H5P_DEFAULT())
                try location.check(length, "H5Lget_name_by_idx")
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                try location.check(
                    H5Lget_name_by_idx(handle.id, ".", mlr_H5_INDEX_NAME(), mlr_H5_ITER_INC(), index,
                                       &buffer, buffer.count, mlr_H5P_DEFAULT()),
                    "H5Lget_name_by_idx")
                let name = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) },
                                  as: UTF8.self)
                result.append(Child(name: name, kind: try kind(of: name) ?? .other))
            }
            return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
    }

    // MARK: Internal helpers (call under the lock).

    /// The kind of the object linked at `name`, or `nil` when some path component is missing.
    func kind(of name: String) throws -> HDF5ObjectKind? {
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty else { return nil }
        var prefix = name.hasPrefix("/") ? "/" : ""
        for component in components {
            prefix += (prefix.isEmpty || prefix == "/") ? String(component) : "/" + component
            let exists = H5Lexists(handle.id, prefix, mlr_H5P_DEFAULT())
            try location.child(prefix).check(exists, "H5Lexists")
            if exists == 0 { return nil }
        }
        var info = H5O_info_t()
        guard H5Oget_info_by_name2(handle.id, name, &info, UInt32(H5O_INFO_BASIC), mlr_H5P_DEFAULT()) >= 0
        else { return .other }   // e.g. a dangling soft link
        if info.type == H5O_TYPE_GROUP { return .group }
        if info.type == H5O_TYPE_DATASET { return .dataset }
        return .other
    }

    /// A link-creation property list, optionally creating missing intermediate groups (caller closes).
    func linkCreationList(createIntermediates: Bool, _ target: HDF5Location) throws -> hid_t {
        let lcpl = try target.checkID(H5Pcreate(mlr_H5P_LINK_CREATE()), "H5Pcreate")
        let status = H5Pset_create_intermediate_group(lcpl, createIntermediates ? 1 : 0)
        if status < 0 {
            _ = H5Pclose(lcpl)
            try target.check(status, "H5Pset_create_intermediate_group")
        }
        return lcpl
    }
}
