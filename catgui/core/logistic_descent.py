"""Logistic regression's hot loop: the Gram path reduced to one vector of logits.

:class:`catgui.core.training.Trainer` uses this for a network without hidden layers on
the Gram path when every label is 0 or 1 (the cat data always are); anything else runs
:class:`catgui.core.descent.Descent`. It is the same gradient descent in fewer NumPy
calls: with 2,000 iterations on 209 numbers each, call overhead is most of the time.

The algebra
-----------
With ``w = w_0 + X c`` (the Gram path), the logits are ``z = w_0^T X + c^T G + b``. One
step moves ``c`` by ``-lr dz / m`` and ``b`` by ``-lr sum(dz) / m``, where
``dz = sigmoid(z) - y``, so the logits themselves move by

    z <- z - (lr / m) (G + 1 1^T) dz

and nothing else has to be kept but the running sum of ``dz``. Writing ``s = 2 y - 1``
(+1 for a cat, -1 otherwise) and working with the *loss margin* ``v = -s z`` makes every
quantity a single stable expression:

* the cost is ``mean(softplus(v))`` with ``softplus(v) = log1p(e^v)``, with no
  cancellation however confident the model is (a margin beyond ~709, where ``e^v``
  overflows, switches that iteration to ``np.logaddexp``, which cannot);
* ``r = sigmoid(v) = e^v / (1 + e^v)`` and ``dz = -s r``;
* the step is ``v <- v - H r`` with ``H = (lr / m) diag(s) (G + 1 1^T) diag(s)``.

So an iteration is eight NumPy calls, one of them an ``m x m`` matrix-vector product.
``w`` and ``b`` are formed only when the network is asked for:
``w = w_0 + (lr / m) X (s * R)`` and ``b = b_0 + (lr / m) sum(s * R)`` with
``R`` the running sum of ``r``.

Numbers: the logits are carried from step to step instead of recomputed from ``w``, so
rounding differs from the textbook loop at the 1e-14 level (the tests hold it to 1e-9).
As in :class:`~catgui.core.descent.Descent`, two copies of the state are written
alternately so that the step before a non-finite cost can be undone.
"""

from __future__ import annotations

import math

import numpy as np

from catgui.core import network as nn


def binary(y: np.ndarray) -> bool:
    """Whether every label is exactly 0 or 1 (what the margin form needs)."""
    return bool(np.all((y == 0.0) | (y == 1.0)))


class LogisticDescent:
    """Gradient descent for ``sigmoid(w^T x + b)`` on the Gram path.

    Parameters
    ----------
    x : ndarray, shape (n_x, m), float64
        Training inputs (kept by reference, never written).
    y : ndarray, shape (1, m), float64
        Labels, each 0 or 1 (see :func:`binary`).
    weight : ndarray, shape (1, n_x); bias : ndarray, shape (1, 1)
        Starting parameters (copied).
    learning_rate : float
    gram : ndarray, shape (m, m)
        ``X^T X`` from :func:`catgui.core.descent.gram_matrix`; taken over and overwritten.
    """

    path = "gram"

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        weight: np.ndarray,
        bias: np.ndarray,
        learning_rate: float,
        gram: np.ndarray,
    ) -> None:
        m = x.shape[1]
        self._x = x
        self._m = m
        self._scale = learning_rate / m
        self._sign = 2.0 * np.ascontiguousarray(y[0], dtype=np.float64) - 1.0
        self._w_start = weight.copy()
        self._b_start = bias.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            gram += 1.0  # the all-ones part carries the bias
            gram *= self._scale  # then diag(s) G diag(s), in place: no second m x m array
            gram *= self._sign[:, None]
            gram *= self._sign[None, :]
        self._h = gram
        logits = np.full(m, float(bias[0, 0]))
        if weight.any():
            logits += (weight @ x)[0]
        self._v = -self._sign * logits  # the loss margin
        self._v_spare = np.empty(m)
        self._r_sum = np.zeros(m)
        self._r_sum_spare = np.empty(m)
        self._e = np.empty(m)
        self._soft = np.empty(m)
        self._r = np.empty(m)
        self._step = np.empty(m)
        self._can_roll_back = False

    def cost(self) -> float:
        """The cost at the current parameters (maybe inf/NaN); prepares :meth:`update`.

        Call it with NumPy's over/invalid warnings off, as the trainer does.
        """
        v, e, soft, r = self._v, self._e, self._soft, self._r
        np.exp(v, out=e)
        np.log1p(e, out=soft)  # softplus(v), exact unless e^v overflows
        total = np.add.reduce(soft)
        if math.isfinite(total):  # a NumPy float is a float; np.isfinite costs ~1 us
            np.add(e, 1.0, out=r)
            np.divide(e, r, out=r)  # sigmoid(v)
        else:  # a margin beyond ~709 (or a diverged run): the form that cannot overflow
            np.logaddexp(0.0, v, out=soft)
            total = np.add.reduce(soft)
            np.subtract(v, soft, out=r)
            np.exp(r, out=r)
        return float(total / self._m)

    def dead_layer(self) -> int | None:
        """Never: there is no hidden layer."""
        return None

    def update(self) -> None:
        """One gradient-descent step from the state :meth:`cost` left."""
        np.dot(self._h, self._r, out=self._step)
        np.subtract(self._v, self._step, out=self._v_spare)
        np.add(self._r_sum, self._r, out=self._r_sum_spare)
        self._v, self._v_spare = self._v_spare, self._v
        self._r_sum, self._r_sum_spare = self._r_sum_spare, self._r_sum
        self._can_roll_back = True

    def roll_back(self) -> bool:
        """Return to the state before the last update; ``False`` if there is none."""
        if not self._can_roll_back:
            return False
        self._v, self._v_spare = self._v_spare, self._v
        self._r_sum, self._r_sum_spare = self._r_sum_spare, self._r_sum
        self._can_roll_back = False
        return True

    def network(self) -> nn.Network:
        """The current parameters as a (fresh) :class:`~catgui.core.network.Network`."""
        moves = self._scale * (self._sign * self._r_sum)  # = -lr/m * (sum of dz)
        weight = self._w_start + (self._x @ moves)[None, :]
        bias = self._b_start + np.add.reduce(moves)
        return nn.Network([weight], [bias])
