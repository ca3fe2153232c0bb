"""What a level archive holds, as plain Python: :class:`Archive` → :class:`Level` → :class:`Stage`.

Tensors are numpy float32 arrays in PyTorch's names and OIHW order (as stored); times float64.
Units: ``t``, ``h`` and ``T`` are depth-time (``h = T / N``); ``wall_seconds`` seconds;
``test_accuracy`` a fraction in [0, 1] (NaN when not measured).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from .methods import Method

#: The per-step fields of a stage (and of a connector, which adds ``shortcut.weight``), in the Swift order.
STEP_FIELDS = ("bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "conv1.weight",
               "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "conv2.weight")
#: The fields of a connector (stage s ≥ 1).
CONNECTOR_FIELDS = STEP_FIELDS + ("shortcut.weight",)
#: The fields of the head.
HEAD_FIELDS = ("bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "linear.weight", "linear.bias")


@dataclass
class Stage:
    """One network stage of a level: an optional connector, then an ODE block of N steps.

    Attributes:
        index: the stage index s (0 = first).
        channels: C_s.
        N: steps in the ODE block.
        h: the step size, depth-time.
        T: the block's final time, depth-time (``T = N h``).
        method: the integration method (:class:`~mlresnet.methods.Tableau` or :class:`~mlresnet.methods.MethodKind`).
        t: the step start times t_0 … t_{N−1}, ``[N]`` float64: ``t_edges[:-1]`` when the stage stores a
            ``t_edges`` dataset, else its ``t`` dataset (``t_n = n h``).
        t_edges: the step edges t_0 … t_N, ``[N + 1]`` float64: the ``t_edges`` dataset when stored,
            else ``t`` followed by ``t_0 + T``.
        theta: θ(t) per field, each with a leading step axis: ``conv1.weight`` / ``conv2.weight``
            ``[N, C, C, 3, 3]`` (OIHW), ``bn1.weight`` (γ), ``bn1.bias`` (β), ``bn1.running_mean``,
            ``bn1.running_var`` (the batch-norm statistics used in evaluation) and the same for bn2, ``[N, C]``.
            θ is piecewise constant: θ(t) = θ_n on [t_n, t_{n+1}).
        connector: the connector's tensors (``CONNECTOR_FIELDS``), or ``None`` for stage 0: ``bn1.*``
            ``[C_{s−1}]``, ``conv1.weight`` ``[C_s, C_{s−1}, 3, 3]`` (stride 2), ``bn2.*`` ``[C_s]``,
            ``conv2.weight`` ``[C_s, C_s, 3, 3]``, ``shortcut.weight`` ``[C_s, C_{s−1}, 1, 1]`` (stride 2).
    """

    index: int
    channels: int
    N: int
    h: float
    T: float
    method: Method
    t: np.ndarray
    t_edges: np.ndarray
    theta: Dict[str, np.ndarray]
    connector: Optional[Dict[str, np.ndarray]]

    def theta_at_step(self, n: int) -> Dict[str, np.ndarray]:
        """θ_n: every field's tensor of step ``n`` (``0 ≤ n < N``), e.g. ``conv1.weight`` ``[C, C, 3, 3]``."""
        if not 0 <= n < self.N:
            raise IndexError(f"step {n} outside 0..<{self.N}")
        return {name: values[n] for name, values in self.theta.items()}

    def theta_at_time(self, t: float) -> Dict[str, np.ndarray]:
        """θ(t) for a depth-time ``t`` in [t_0, t_N]: θ_n with t_n ≤ t < t_{n+1} (t_N itself gives θ_{N−1})."""
        if not self.t_edges[0] <= t <= self.t_edges[-1]:
            raise ValueError(f"t = {t} outside [{self.t_edges[0]}, {self.t_edges[-1]}]")
        n = int(np.searchsorted(self.t_edges, t, side="right")) - 1
        return self.theta_at_step(min(n, self.N - 1))

    @property
    def batch_norm_statistics(self) -> Dict[str, np.ndarray]:
        """The running means and variances of the block's batch norms, ``[N, C]`` each."""
        return {name: values for name, values in self.theta.items() if "running_" in name}


@dataclass
class Level:
    """One trained level ℓ of the run: a whole network (stem, stages, head) and its facts.

    Attributes:
        index: ℓ (0 = finest).
        N: steps per stage.
        h: step size, depth-time.
        T: final time of every ODE block, depth-time.
        cycle: the cycle of the schedule in which the level was (last) trained.
        epochs: epochs trained at this level.
        test_accuracy: in [0, 1], NaN when not measured.
        wall_seconds: training time of the level, seconds.
        input_shape: ``(H, W, C_in)`` of one image (the Swift network takes ``[batch, H, W, C_in]``,
            the PyTorch module ``[batch, C_in, H, W]``).
        class_count: K.
        stage_channels: ``(C_0, C_1, …)``.
        batch_norm_momentum: m of ``μ_run ← (1 − m) μ_run + m μ_B`` (PyTorch's convention).
        batch_norm_epsilon: ε.
        stem: ``{"weight": [C_0, C_in, 3, 3]}``.
        stages: the network stages, in forward order.
        head: ``HEAD_FIELDS``: ``bn.*`` ``[C_last]``, ``linear.weight`` ``[K, C_last]``, ``linear.bias`` ``[K]``.
        attrs: every attribute of ``/levels/<ℓ>`` (e.g. ``prolongation_effective`` on refined levels).
    """

    index: int
    N: int
    h: float
    T: float
    cycle: int
    epochs: int
    test_accuracy: float
    wall_seconds: float
    input_shape: Tuple[int, int, int]
    class_count: int
    stage_channels: Tuple[int, ...]
    batch_norm_momentum: float
    batch_norm_epsilon: float
    stem: Dict[str, np.ndarray]
    stages: List[Stage]
    head: Dict[str, np.ndarray]
    attrs: Dict[str, Any] = field(repr=False)

    @property
    def methods(self) -> List[Method]:
        """The integration method of every stage."""
        return [stage.method for stage in self.stages]


@dataclass
class Archive:
    """A level archive: its levels ordered by ℓ (0 = finest first), the methods and the run's record.

    Attributes:
        path: the file.
        levels: every level, by ascending numeric index ℓ (from the root attribute ``levels``).
        methods: the integration method of every stage (shared by all levels).
        attrs: the root attributes (``format``, ``dataset``, ``seed`` as stored, ``prolongation``, …).
        run: the attributes of ``/run`` (the configuration's fields under dotted names), ``{}`` if absent.
        configuration: the ``/run`` attribute ``configuration`` parsed from JSON, or ``None`` when
            the archive records none.
    """

    path: str
    levels: List[Level]
    methods: List[Method]
    attrs: Dict[str, Any] = field(repr=False)
    run: Dict[str, Any] = field(repr=False)
    configuration: Optional[Dict[str, Any]] = field(repr=False)

    def level(self, index: int) -> Level:
        """The level of index ℓ; ``KeyError`` naming the stored indices when absent."""
        for level in self.levels:
            if level.index == index:
                return level
        raise KeyError(f"no level {index} in {self.path}; stored: {[level.index for level in self.levels]}")

    @property
    def finest(self) -> Level:
        """The level of smallest ℓ (the deepest network)."""
        return self.levels[0]

    @property
    def seed(self) -> int:
        """The run's seed as the unsigned 64-bit value it was (stored as the int64 of the same bits)."""
        return int(self.attrs["seed"]) & 0xFFFF_FFFF_FFFF_FFFF
