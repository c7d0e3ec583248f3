"""The hot loop of training: full-batch gradient descent on preallocated arrays.

:class:`catgui.core.training.Trainer` drives this; nothing else needs it. One
:class:`Descent` holds every array a run touches, so an iteration allocates nothing and
costs a few dozen NumPy calls plus one product for the first layer. On the article's
recipe that first product (``C G``, 20 x 209 x 209) is about half of the time; the rest
is call overhead, which is why the layout below minimises the number of calls.

Layout
------
Every layer keeps ``[W | b]`` in one array. Hidden outputs are stored with a row of ones
appended, so one product gives ``Z = W A + b`` and one gives ``[dW | db]``. The first
layer differs by path:

* Gram path: the array is ``[C | b1]`` (shape ``(n1, m + 1)``) and
  ``Z1 = [C | b1] [G; 1] + P0`` with ``G = X^T X`` and ``P0 = W1_0 X`` computed once
  (``P0`` is skipped when ``W1_0`` is zero, as for logistic regression). The update is
  ``C <- C - lr dZ1 / m``; ``W1 = W1_0 + C X^T`` is formed only when the network is
  asked for.
* Plain path: the array is ``[W1 | b1]``, ``Z1 = W1 X + b1``,
  ``W1 <- W1 - lr dZ1 X^T / m`` (``X`` is never copied).

The backward pass starts from ``dZ_L = (A_L - Y) lr / m``. Everything after it is linear
in ``dZ_L``, so every product is directly the step to subtract. The gradient with
respect to the input ``X`` is never formed.

Two parameter sets are kept and written alternately: an update reads one and writes the
other, so the parameters before the last update are still intact, which is exactly what
a rollback after divergence needs, at no copying cost.

Numbers: the same gradient descent as :mod:`catgui.core.network` computes, in a
different order of floating-point operations; cost curves agree to about 1e-12 relative.
The cost is :func:`catgui.core.network.cost_from_logits` (the stable form).
"""

from __future__ import annotations

import numpy as np

from catgui.core import network as nn


def gram_matrix(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray | None:
    """``G = X^T X`` (``m x m``), or ``None`` if it overflows (inputs beyond ~1e150)."""
    m = x.shape[1]
    gram = np.empty((m, m)) if out is None else out
    with np.errstate(over="ignore", invalid="ignore"):
        np.dot(x.T, x, out=gram)
    return gram if np.isfinite(gram).all() else None


class Descent:
    """Preallocated gradient descent for one run.

    Parameters
    ----------
    x : ndarray, shape (n_x, m), float64
        Training inputs, features x examples (kept by reference, never written).
    y : ndarray, shape (1, m), float64
        Labels.
    weights, biases : list of ndarray
        Starting parameters, as in :class:`catgui.core.network.Network` (copied).
    learning_rate : float
    path : {"gram", "plain"}
        The path asked for. :attr:`path` is the one taken: ``"plain"`` if ``X^T X``
        overflows.
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        learning_rate: float,
        path: str,
    ) -> None:
        n_x, m = x.shape
        self._x = x
        self._m = m
        self._y = np.ascontiguousarray(y[0], dtype=np.float64)
        self._not_y = 1.0 - self._y
        self._scale = learning_rate / m
        w1 = weights[0]
        n1 = w1.shape[0]
        if path == "gram":
            gram = np.ones((m + 1, m))  # [G; 1]: the last row carries b1
            if gram_matrix(x, out=gram[:m]) is None:
                path = "plain"
        self.path = path
        if path == "gram":
            self._w1_start = w1.copy()
            self._inputs = gram
            self._p0 = w1 @ x if w1.any() else None
            first = np.zeros((n1, m + 1))  # [C | b1]
            self._first_grad = None
        else:
            self._w1_start = None
            self._inputs = x
            self._p0 = None
            first = np.empty((n1, n_x + 1))  # [W1 | b1]
            first[:, :n_x] = w1
            self._first_grad = np.empty((n1, n_x))
        first[:, -1:] = biases[0]
        self._params = [first] + [np.hstack([w, b]) for w, b in zip(weights[1:], biases[1:])]
        self._spare = [np.empty_like(p) for p in self._params]
        self._can_roll_back = False

        units = [w.shape[0] for w in weights]  # n1 ... nL (= 1)
        self._z = [np.empty((n, m)) for n in units]
        self._a = [np.ones((n + 1, m)) for n in units[:-1]]  # hidden outputs + a row of 1
        self._active = [np.empty((n, m), dtype=bool) for n in units[:-1]]
        self._dz = [np.empty((n, m)) for n in units]
        self._grad = [np.empty_like(p) for p in self._params[1:]]
        self._ones = np.ones((m, 1))
        self._db1 = np.empty((n1, 1))
        self._al = np.empty(m)
        self._neg_z = np.empty(m)
        self._soft = np.empty(m)
        self._pos_part = np.empty(m)
        self._neg_part = np.empty(m)

    # -- one iteration ----------------------------------------------------------------------
    def cost(self) -> float:
        """Forward pass at the current parameters; returns the cost (maybe NaN/inf).

        Call it (and :meth:`update`) with NumPy's over/invalid/divide warnings off, as
        the trainer does: a diverging run overflows on purpose.
        """
        p, z = self._params, self._z
        if self._first_grad is None:  # Gram path: [C | b1] [G; 1] + P0
            np.dot(p[0], self._inputs, out=z[0])
            if self._p0 is not None:
                np.add(z[0], self._p0, out=z[0])
        else:
            np.dot(p[0][:, :-1], self._inputs, out=z[0])
            np.add(z[0], p[0][:, -1:], out=z[0])
        for j, a in enumerate(self._a):
            np.maximum(z[j], 0.0, out=a[:-1])
            np.dot(p[j + 1], a, out=z[j + 1])
        zl, neg, al, soft = z[-1][0], self._neg_z, self._al, self._soft
        np.negative(zl, out=neg)
        np.exp(neg, out=al)  # sigmoid: 1 / (1 + e^-z)
        np.add(al, 1.0, out=al)
        np.divide(1.0, al, out=al)
        # -log(sigmoid(z)) = max(-z, 0) + log1p(e^-|z|), -log(1 - sigmoid(z)) = max(z, 0) +
        # the same term: numpy's logaddexp(0, -z) and logaddexp(0, z), sharing one log1p.
        np.minimum(zl, neg, out=soft)
        np.exp(soft, out=soft)
        np.log1p(soft, out=soft)
        np.maximum(neg, 0.0, out=self._neg_part)
        np.maximum(zl, 0.0, out=self._pos_part)
        total = (
            np.add.reduce(soft)
            + np.dot(self._y, self._neg_part)
            + np.dot(self._not_y, self._pos_part)
        )
        return float(total / self._m)

    def dead_layer(self) -> int | None:
        """The first hidden layer (1-based) that is zero for every example, if any.

        Valid after :meth:`cost`.
        """
        for layer, a in enumerate(self._a, start=1):
            if not a[:-1].any():
                return layer
        return None

    def update(self) -> None:
        """One gradient-descent step from the state :meth:`cost` left."""
        p, new = self._params, self._spare
        dz = self._dz[-1]
        np.subtract(self._al, self._y, out=dz[0])
        np.multiply(dz, self._scale, out=dz)
        for j in range(len(self._a) - 1, -1, -1):  # layer j + 2 (1-based), input a[j]
            a, w = self._a[j], p[j + 1]
            np.dot(dz, a.T, out=self._grad[j])
            da = self._dz[j]
            np.dot(w[:, :-1].T, dz, out=da)  # uses the weights before this update
            np.subtract(w, self._grad[j], out=new[j + 1])
            np.greater(self._z[j], 0.0, out=self._active[j])
            np.multiply(da, self._active[j], out=da)
            dz = da
        first, new_first = p[0], new[0]
        if self._first_grad is None:  # Gram path: C moves by dZ1 itself
            np.subtract(first[:, :-1], dz, out=new_first[:, :-1])
        else:
            np.dot(dz, self._x.T, out=self._first_grad)
            np.subtract(first[:, :-1], self._first_grad, out=new_first[:, :-1])
        np.dot(dz, self._ones, out=self._db1)
        np.subtract(first[:, -1:], self._db1, out=new_first[:, -1:])
        self._params, self._spare = new, p
        self._can_roll_back = True

    def roll_back(self) -> bool:
        """Return to the parameters before the last update; ``False`` if there are none."""
        if not self._can_roll_back:
            return False
        self._params, self._spare = self._spare, self._params
        self._can_roll_back = False
        return True

    # -- results ----------------------------------------------------------------------------
    def network(self) -> nn.Network:
        """The current parameters as a (fresh) :class:`~catgui.core.network.Network`."""
        first, *upper = self._params
        if self._w1_start is not None:
            w1 = self._w1_start + first[:, :-1] @ self._x.T
        else:
            w1 = first[:, :-1].copy()
        weights = [w1] + [w[:, :-1].copy() for w in upper]
        biases = [first[:, -1:].copy()] + [w[:, -1:].copy() for w in upper]
        return nn.Network(weights, biases)
