"""Errors raised by the archive reader and the PyTorch builder."""

from __future__ import annotations


class ArchiveError(ValueError):
    """A level archive that cannot be read as written by MultilevelResNet.

    Attributes:
        file: the archive's path.
        object: the HDF5 object at fault (``"/"``, ``"/levels/0/stages/1/conv1.weight"``, …).
        message: what was found and what was expected.
    """

    def __init__(self, file: str, object: str, message: str):
        super().__init__(f"{file}: {object}: {message}")
        self.file = file
        self.object = object
        self.message = message


class UnsupportedMethodError(ValueError):
    """A stage whose integration method has no PyTorch counterpart here (not an explicit Butcher tableau).

    Attributes:
        stage: the network stage index s.
        method: the stored method (a :class:`~mlresnet.methods.MethodKind` or an implicit tableau).
    """

    def __init__(self, stage: int, method, reason: str):
        super().__init__(f"stage {stage}: method '{method.name}' {reason}; "
                         "to_torch builds explicit Runge–Kutta methods (any tableau with strictly "
                         "lower-triangular a) only")
        self.stage = stage
        self.method = method
