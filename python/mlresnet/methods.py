"""Integration methods of an ODE block, as a level archive stores them under ``/integrator``.

An explicit Runge–Kutta method is its Butcher tableau; one step of size ``h`` from ``y_n`` is::

    k_i     = F(y_n + h Σ_{j<i} a_ij k_j; θ_n)      i = 1…s
    y_{n+1} = y_n + h Σ_i b_i k_i

(``c`` is stored for completeness: θ is piecewise constant in t, so F does not depend on ``t_n + c_i h``.)
A method that is not a tableau (a multistep or Hamiltonian method registered in the Swift library)
is kept as a :class:`MethodKind`: its kind, name, order and parameters.

Reference: Butcher 2016, *Numerical Methods for Ordinary Differential Equations*, §23; the Swift
``ButcherTableau`` and ``TableauCodec`` (Sources/Integrators, Sources/Archiving).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union

import numpy as np


@dataclass(frozen=True)
class Tableau:
    """A Butcher tableau (float64 coefficients, exactly as stored).

    Shape: ``a`` ``[s, s]``, ``b`` ``[s]``, ``c`` ``[s]``, ``b_hat`` ``[s]`` or ``None``.

    Attributes:
        name: the Swift name (``"forwardEuler"``, ``"rk4Classic"``, … or a user tableau's).
        order: the nominal order p.
        a, b, c: the coefficients.
        b_hat: the embedded weights, if any (unused by a fixed-step network).
        embedded_order: the order of ``b_hat``, if any.
    """

    name: str
    order: int
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    b_hat: Optional[np.ndarray] = None
    embedded_order: Optional[int] = None

    @property
    def stage_count(self) -> int:
        """s, the number of evaluations of F per step (the tableau's stages, not the network's)."""
        return int(self.b.shape[0])

    @property
    def is_explicit(self) -> bool:
        """Whether ``a`` is strictly lower triangular (every k_i needs only k_1 … k_{i−1})."""
        return bool(np.all(np.triu(self.a) == 0))

    def __eq__(self, other) -> bool:
        return (isinstance(other, Tableau) and self.name == other.name and self.order == other.order
                and np.array_equal(self.a, other.a) and np.array_equal(self.b, other.b)
                and np.array_equal(self.c, other.c))

    def __hash__(self) -> int:
        return hash((self.name, self.order, self.a.tobytes(), self.b.tobytes()))


@dataclass(frozen=True)
class MethodKind:
    """A method that is not a Butcher tableau, stored by kind (``/integrator`` attribute ``kind``).

    Attributes:
        kind: the kind that identifies it (e.g. ``"lmResNet"``).
        name: its name.
        order: its nominal order.
        parameters: its float64 parameters (may be empty).
    """

    kind: str
    name: str
    order: int
    parameters: Tuple[float, ...] = ()


Method = Union[Tableau, MethodKind]

#: Forward Euler, ``y_{n+1} = y_n + h F(y_n)``: the step of a plain ResNet block.
FORWARD_EULER = Tableau("forwardEuler", 1, np.zeros((1, 1)), np.ones(1), np.zeros(1))
