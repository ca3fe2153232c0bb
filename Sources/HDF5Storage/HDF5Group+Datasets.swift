internal import CHDF5

extension HDF5Group {
    /// The largest rank HDF5 supports (`H5S_MAX_RANK`).
    static let maximumRank = 32

    /// Writes a new dataset holding `values` with `shape`.
    ///
    /// The dataset is stored contiguously with the native element type of `T`; missing
    /// intermediate groups along `name` are created. Existing datasets are never overwritten.
    ///
    /// Shape: `shape[0]` slowest; `[]` writes a scalar dataset (one value).
    /// Order: `values` in row-major (C) order, as NumPy reads them.
    /// - Parameters:
    ///   - values: `∏ shape` values.
    ///   - shape: the extents (rank 0…32, each `≥ 0`).
    ///   - name: the dataset's path relative to this group (or absolute).
    /// - Returns: the new, open dataset (to attach attributes).
    /// - Throws: ``HDF5Error/shapeMismatch(file:object:shape:valueCount:)`` when
    ///   `values.count != ∏ shape`, an extent is negative or the rank exceeds 32;
    ///   ``HDF5Error/readOnlyFile(file:object:)``; ``HDF5Error/objectExists(file:object:)``;
    ///   ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Dcreate2` or
    ///   `H5Dwrite`.
    @discardableResult
    public func write<T: HDF5Scalar>(_ values: [T], shape: [Int], to name: String) throws -> HDF5Dataset {
        try HDF5Library.withLock {
            let target = location.child(name)
            try file.ensureWritable(target.object)
            guard shape.count <= HDF5Group.maximumRank,
                  HDF5Array<T>.elementCount(of: shape) == values.count else {
                throw HDF5Error.shapeMismatch(file: target.file, object: target.object,
                                              shape: shape, valueCount: values.count)
            }
            guard try kind(of: name) == nil else {
                throw HDF5Error.objectExists(file: target.file, object: target.object)
            }
            // Only reachable for a conformance outside this module naming a non-native type.
            guard let type = T.hdf5ElementType.nativeTypeID else {
                throw HDF5Error.wrongElementType(file: target.file, object: target.object,
                                                 expected: .float32, found: T.hdf5ElementType)
            }
            let space = try HDF5Dataspace.create(shape: shape, target)
            defer { _ = H5Sclose(space) }
            let lcpl = try linkCreationList(createIntermediates: true, target)
            defer { _ = H5Pclose(lcpl) }
            let id = try target.checkID(
                H5Dcreate2(handle.id, name, type, space, lcpl, mlr_H5P_DEFAULT(), mlr_H5P_DEFAULT()),
                "H5Dcreate2")
            let dataset = try HDF5Dataset(handle: HDF5ObjectHandle(id: id, file: file, object: target.object))
            if !values.isEmpty {
                let status = values.withUnsafeBufferPointer {
                    H5Dwrite(id, type, mlr_H5S_ALL(), mlr_H5S_ALL(), mlr_H5P_DEFAULT(), $0.baseAddress)
                }
                try target.check(status, "H5Dwrite")
            }
            return dataset
        }
    }

    /// Writes a new dataset holding `array` (see ``write(_:shape:to:)``).
    ///
    /// - Parameters:
    ///   - array: values and shape.
    ///   - name: the dataset's path relative to this group (or absolute).
    /// - Returns: the new, open dataset.
    /// - Throws: the errors of ``write(_:shape:to:)``.
    @discardableResult
    public func write<T: HDF5Scalar>(_ array: HDF5Array<T>, to name: String) throws -> HDF5Dataset {
        try write(array.values, shape: array.shape, to: name)
    }

    /// Opens an existing dataset.
    ///
    /// - Parameter name: the dataset's path relative to this group (or absolute).
    /// - Returns: the open dataset with its shape and element type.
    /// - Throws: ``HDF5Error/missingObject(file:object:kind:)`` when nothing is linked at `name`;
    ///   ``HDF5Error/wrongObjectKind(file:object:expected:found:)`` when it is a group;
    ///   ``HDF5Error/fileClosed(file:object:)``;
    ///   ``HDF5Error/callFailed(function:status:file:object:message:)`` naming `H5Dopen2`.
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        try HDF5Library.withLock {
            let target = location.child(name)
            try file.ensureOpen(target.object)
            switch try kind(of: name) {
            case nil:
                throw HDF5Error.missingObject(file: target.file, object: target.object, kind: .dataset)
            case .dataset?:
                let id = try target.checkID(H5Dopen2(handle.id, name, mlr_H5P_DEFAULT()), "H5Dopen2")
                return try HDF5Dataset(handle: HDF5ObjectHandle(id: id, file: file, object: target.object))
            case let found?:
                throw HDF5Error.wrongObjectKind(file: target.file, object: target.object,
                                                expected: .dataset, found: found)
            }
        }
    }

    /// Reads a whole dataset as `T`.
    ///
    /// - Parameters:
    ///   - name: the dataset's path relative to this group (or absolute).
    ///   - type: the Swift element type; must match the stored type exactly.
    ///   - expectedShape: when given, the stored shape must equal it.
    /// - Returns: the values (row-major) and the stored shape.
    /// - Throws: the errors of ``openDataset(_:)`` and ``HDF5Dataset/read(as:expectedShape:)``.
    public func read<T: HDF5Scalar>(_ name: String, as type: T.Type,
                                    expectedShape: [Int]? = nil) throws -> HDF5Array<T> {
        try HDF5Library.withLock {
            try openDataset(name).read(as: type, expectedShape: expectedShape)
        }
    }

    /// The shape and element type of a dataset, without reading its values.
    ///
    /// - Parameter name: the dataset's path relative to this group (or absolute).
    /// - Returns: shape and element type.
    /// - Throws: the errors of ``openDataset(_:)``.
    public func datasetInfo(_ name: String) throws -> HDF5DatasetInfo {
        try openDataset(name).info
    }
}
