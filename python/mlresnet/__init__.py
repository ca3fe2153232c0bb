"""MultilevelResNet from Python: read a level archive with numpy + h5py, rebuild a level in PyTorch.

::

    from mlresnet import load_archive, to_torch
    archive = load_archive("runs/demo/levels.h5")        # levels by ℓ, 0 = finest
    model = to_torch(archive.finest)                      # torch.nn.Module, evaluation mode
    logits = model(x_nhwc.permute(0, 3, 1, 2))            # [batch, K]

:func:`load_archive` needs numpy and h5py only; :func:`to_torch`, :class:`ODEResNet` and the other
modules of :mod:`mlresnet.torch_model` import torch when first used.
"""

from .archive import FORMAT_NAME, FORMAT_VERSION, load_archive, verify_seal
from .records import Archive, Level, Stage
from .errors import ArchiveError, UnsupportedMethodError
from .methods import FORWARD_EULER, MethodKind, Tableau

__version__ = "0.1.0"

__all__ = ["load_archive", "verify_seal", "to_torch", "ODEResNet", "Archive", "Level", "Stage", "Tableau", "MethodKind",
           "FORWARD_EULER", "ArchiveError", "UnsupportedMethodError", "FORMAT_NAME", "FORMAT_VERSION"]

_TORCH_NAMES = {"to_torch", "ODEResNet"}


def __getattr__(name):
    # PEP 562: torch is imported only by users of the PyTorch side.
    if name in _TORCH_NAMES:
        from . import torch_model
        return getattr(torch_model, name)
    raise AttributeError(f"module 'mlresnet' has no attribute '{name}'")
