"""The ODE ResNet of MultilevelResNet as a PyTorch module, and :func:`to_torch` to load a level into it.

This is the one PyTorch definition of the architecture: ``benchmarks/torch_odenet.py`` (the anchor of
``mlresnet bench``) imports it from here. Architecture (DESIGN.md §3; Swift ``ODENetwork``)::

    stem      conv3x3(C_in → C_0), stride 1, padding 1, no bias
    stage s   connector (s ≥ 1):  z = ReLU(BN1(Y));  Y = conv3x3(ReLU(BN2(conv3x3_stride2(z)))) + conv1x1_stride2(z)
              ODE block of N steps of an explicit Runge–Kutta method, h = T / N, θ_n fixed within step n:
                  k_i = F(Y_n + h Σ_{j<i} a_ij k_j; θ_n),   Y_{n+1} = Y_n + h Σ_i b_i k_i
                  F(Y; θ_n) = conv3x3(ReLU(BN2(conv3x3(ReLU(BN1(Y))))))      (pre-activation)
    head      ReLU(BN(Y)) → global average pool → linear(C_last → K)

Convolutions have no bias (padding 1 for 3×3, 0 for the 1×1 shortcut); the linear layer has one.
Every Runge–Kutta stage evaluation of F is a separate application of θ_n's batch norms: in training
mode each updates the running statistics once, exactly as the Swift network does.

Shape: input ``[batch, C_in, H, W]`` (NCHW; a Swift/NHWC batch ``x`` is ``x.permute(0, 3, 1, 2)``),
logits ``[batch, K]``. Parameter names follow the archive: ``stem.weight``,
``stages.<s>.connector.conv1.weight``, ``stages.<s>.steps.<n>.bn1.running_var``, ``head.linear.bias``.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .records import CONNECTOR_FIELDS, HEAD_FIELDS, STEP_FIELDS, Level
from .errors import UnsupportedMethodError
from .methods import FORWARD_EULER, Method, Tableau


class ResidualF(nn.Module):
    """F(Y; θ_n) = conv2(ReLU(BN2(conv1(ReLU(BN1(Y)))))): one step's parameters θ_n.

    Shape: ``[batch, C, H, W]`` → the same; conv weights ``[C, C, 3, 3]``; BN tensors ``[C]``.
    """

    def __init__(self, channels: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(channels, eps=eps, momentum=momentum)
        self.conv1 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels, eps=eps, momentum=momentum)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return self.conv2(F.relu(self.bn2(self.conv1(F.relu(self.bn1(y))))))


class Connector(nn.Module):
    """The stride-2 pre-activation block with a 1×1 projection shortcut that opens stage s ≥ 1.

    Shape: ``[batch, C_in, H, W]`` → ``[batch, C_out, ⌈H/2⌉, ⌈W/2⌉]``; conv1 ``[C_out, C_in, 3, 3]``,
    conv2 ``[C_out, C_out, 3, 3]``, shortcut ``[C_out, C_in, 1, 1]``.
    """

    def __init__(self, input_channels: int, output_channels: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(input_channels, eps=eps, momentum=momentum)
        self.conv1 = nn.Conv2d(input_channels, output_channels, 3, 2, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(output_channels, eps=eps, momentum=momentum)
        self.conv2 = nn.Conv2d(output_channels, output_channels, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(input_channels, output_channels, 1, 2, 0, bias=False)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        z = F.relu(self.bn1(y))
        return self.conv2(F.relu(self.bn2(self.conv1(z)))) + self.shortcut(z)


def explicit_rk_step(f: nn.Module, y: torch.Tensor, h: float, tableau: Tableau) -> torch.Tensor:
    """One explicit Runge–Kutta step ``y_{n+1} = y_n + h Σ_i b_i k_i``, ``k_i = f(y_n + h Σ_{j<i} a_ij k_j)``.

    Zero coefficients are skipped and a stage whose row of ``a`` is zero gets ``y_n`` itself, as the
    Swift ``ExplicitRungeKutta``; the weights ``h·a_ij``, ``h·b_i`` are computed in float64.

    Order: the tableau's p; ``s`` evaluations of ``f``.
    """
    k: List[torch.Tensor] = []
    for i in range(tableau.stage_count):
        k.append(f(_combination(y, h, tableau.a[i, :i], k)))
    return _combination(y, h, tableau.b, k)


def _combination(y: torch.Tensor, h: float, coefficients, terms: Sequence[torch.Tensor]) -> torch.Tensor:
    out = y
    for coefficient, term in zip(coefficients, terms):
        if coefficient != 0:
            out = out + float(h * coefficient) * term
    return out


class ODEStage(nn.Module):
    """One network stage: an optional connector, then an ODE block of N steps of one explicit RK method.

    Units: ``h`` and ``T`` in depth-time, ``h = T / N``.
    """

    def __init__(self, connector: Optional[Connector], steps: Sequence[ResidualF], method: Tableau,
                 final_time: float):
        super().__init__()
        self.connector = connector
        self.steps = nn.ModuleList(steps)
        self.method = method
        self.h = final_time / len(self.steps)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        if self.connector is not None:
            y = self.connector(y)
        for f in self.steps:
            y = explicit_rk_step(f, y, self.h, self.method)
        return y

    def extra_repr(self) -> str:
        return f"method={self.method.name}, N={len(self.steps)}, h={self.h}"


class Head(nn.Module):
    """ReLU(BN(Y)) → global average pool → linear: ``[batch, C_last, H, W]`` → logits ``[batch, K]``."""

    def __init__(self, channels: int, class_count: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, eps=eps, momentum=momentum)
        self.linear = nn.Linear(channels, class_count)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return self.linear(F.adaptive_avg_pool2d(F.relu(self.bn(y)), 1).flatten(1))


class ODEResNet(nn.Module):
    """The pre-activation ODE ResNet (module docstring), freshly initialized by PyTorch's defaults.

    Args:
        stage_channels: ``(C_0, C_1, …)``; stage s ≥ 1 opens with a stride-2 connector.
        steps_per_stage: N.
        final_time: T of every ODE block (depth-time); default ``N`` (so ``h = 1``, the Swift default).
        input_channels: C_in.
        class_count: K.
        methods: ``None`` (forward Euler), one :class:`~mlresnet.methods.Tableau` for all stages, or one per stage.
        batch_norm_momentum: m of ``μ_run ← (1 − m) μ_run + m μ_B``.
        batch_norm_epsilon: ε.

    Raises:
        ValueError: a method count that is neither 1 nor one per stage.
        UnsupportedMethodError: a method that is not an explicit tableau.
    """

    def __init__(self, stage_channels: Sequence[int] = (16, 32, 64), steps_per_stage: int = 3,
                 final_time: Optional[float] = None, input_channels: int = 3, class_count: int = 10,
                 methods: Union[None, Method, Sequence[Method]] = None, batch_norm_momentum: float = 0.1,
                 batch_norm_epsilon: float = 1e-5):
        super().__init__()
        per_stage = _methods_per_stage(methods, len(stage_channels))
        T = float(steps_per_stage if final_time is None else final_time)
        m, eps = batch_norm_momentum, batch_norm_epsilon
        self.stem = nn.Conv2d(input_channels, stage_channels[0], 3, 1, 1, bias=False)
        stages, previous = [], stage_channels[0]
        for s, c in enumerate(stage_channels):
            connector = Connector(previous, c, m, eps) if s > 0 else None
            steps = [ResidualF(c, m, eps) for _ in range(steps_per_stage)]
            stages.append(ODEStage(connector, steps, per_stage[s], T))
            previous = c
        self.stages = nn.ModuleList(stages)
        self.head = Head(previous, class_count, m, eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``[batch, K]`` of images ``[batch, C_in, H, W]``."""
        y = self.stem(x)
        for stage in self.stages:
            y = stage(y)
        return self.head(y)


def _methods_per_stage(methods, stage_count: int) -> List[Tableau]:
    if methods is None:
        methods = [FORWARD_EULER]
    elif not isinstance(methods, (list, tuple)):
        methods = [methods]
    if len(methods) == 1:
        methods = list(methods) * stage_count
    if len(methods) != stage_count:
        raise ValueError(f"{len(methods)} methods for {stage_count} stages (give one, or one per stage)")
    for s, method in enumerate(methods):
        if not isinstance(method, Tableau):
            raise UnsupportedMethodError(s, method, f"is of kind '{getattr(method, 'kind', '?')}', not a Butcher tableau")
        if not method.is_explicit:
            raise UnsupportedMethodError(s, method, "is implicit (a is not strictly lower triangular)")
    return list(methods)


def to_torch(level: Level) -> ODEResNet:
    """A PyTorch module of ``level``'s architecture holding its weights and batch-norm running statistics.

    Args:
        level: a level of :func:`~mlresnet.archive.load_archive`'s result (e.g. ``archive.finest``).

    Every step of a stage uses ``h = T / N`` (``level.h``), as the Swift network does.

    Returns:
        An :class:`ODEResNet` in evaluation mode (batch norms use the stored running statistics),
        float32, on the CPU: ``model(x.permute(0, 3, 1, 2))`` for a batch ``x`` ``[batch, H, W, C_in]``
        gives the logits ``[batch, K]`` the Swift network gives for ``x``.

    Raises:
        UnsupportedMethodError: a stage whose method is not an explicit Butcher tableau.
    """
    model = ODEResNet(stage_channels=level.stage_channels, steps_per_stage=level.N, final_time=level.T,
                      input_channels=level.input_shape[2], class_count=level.class_count, methods=level.methods,
                      batch_norm_momentum=level.batch_norm_momentum, batch_norm_epsilon=level.batch_norm_epsilon)
    values = {"stem.weight": level.stem["weight"]}
    values.update({f"head.{name}": level.head[name] for name in HEAD_FIELDS})
    for stage in level.stages:
        prefix = f"stages.{stage.index}"
        for name in STEP_FIELDS:
            values.update({f"{prefix}.steps.{n}.{name}": stage.theta[name][n] for n in range(stage.N)})
        if stage.connector is not None:
            values.update({f"{prefix}.connector.{name}": stage.connector[name] for name in CONNECTOR_FIELDS})
    state = model.state_dict()
    expected = {key for key in state if not key.endswith("num_batches_tracked")}
    if expected != set(values):
        raise AssertionError(f"to_torch: parameter names differ: missing {sorted(expected - set(values))}, "
                             f"extra {sorted(set(values) - expected)}")
    with torch.no_grad():
        for key, array in values.items():
            if tuple(state[key].shape) != array.shape:
                raise AssertionError(f"to_torch: {key} has shape {list(array.shape)}, the module {list(state[key].shape)}")
            state[key].copy_(torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32)))
    return model.eval()
