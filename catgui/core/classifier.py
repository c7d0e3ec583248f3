"""The one interface every trained model offers: pictures in, probability of "cat" out.

Prediction, evaluation, the Classify list and its workers, the Mistakes tab, the CLI and
persistence all hold a :class:`Classifier` and call nothing else of it. Preprocessing is
the kind's: a classifier says which square it sees (:attr:`Classifier.input_size`; the
decoder makes that square from the original file) and what that looks like
(:meth:`Classifier.sees`, the Classify row's preview). The article's kinds'
classifier is :class:`catgui.core.kinds.network_kind.NetworkClassifier`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from catgui.core import heatmap, images, pictures
from catgui.core.errors import CatguiError


class Classifier(ABC):
    """A trained model of one kind (``kind`` names its row in :mod:`catgui.core.kinds`)."""

    #: The model kind's name, as in the kinds table.
    kind: str = ""
    #: Side of the centred square the model reads (64: the article's pictures).
    input_size: int = images.SIZE
    #: Whether a few hundred pictures are scored in well under a frame (the article's
    #: networks). ``False`` (a pretrained backbone, ~15 ms a picture): the window scores
    #: them off the GUI thread, or a picture per turn of the event loop.
    quick: bool = True
    #: Why :meth:`evidence` gives nothing (a kind that cannot show where its verdict comes
    #: from), in words for the window; ``None`` for a kind that can.
    cannot_explain: str | None = "this kind of model cannot show why; the pretrained models can"

    @abstractmethod
    def probabilities(self, squares: np.ndarray) -> np.ndarray:
        """Probability of "cat" for ``(k, s, s, 3)`` uint8 squares (``s = input_size``): ``(k,)``.

        Data sets hold 64x64 squares; a kind with a larger ``input_size`` is given those
        resized when nothing larger exists (see :func:`probabilities_of`).
        """

    def classify(self, decoded: Sequence[images.Picture]) -> np.ndarray:
        """Probability of "cat" for decoded pictures (each decoded at :attr:`input_size`)."""
        if not decoded:
            return np.zeros(0)
        if all(self.input_size in p.sizes() for p in decoded):
            return self.probabilities(np.stack([p.square(self.input_size) for p in decoded]))
        # decoded for another model (a batch that ran while the model changed)
        return self.probabilities_any(np.stack([p.pixels for p in decoded]))

    def sees(self, picture: images.Picture) -> np.ndarray:
        """What the model sees of ``picture``: an ``(h, w, 3)`` uint8 image for the preview."""
        if self.input_size in picture.sizes():
            return picture.square(self.input_size)
        return pictures.resize_squares(picture.pixels[np.newaxis], self.input_size)[0]

    def describe(self) -> str:
        """A short technical description, such as the layer sizes."""
        return self.kind

    def first_layer(self) -> np.ndarray | None:
        """The first layer's weights on the 64x64 square's values, ``(n1, 12288)``, or
        ``None`` for a kind without such a layer (see :mod:`catgui.core.units`)."""
        return None

    def probabilities_any(self, squares: np.ndarray) -> np.ndarray:
        """:meth:`probabilities` of squares of any side, resized to :attr:`input_size`."""
        return self.probabilities(pictures.resize_squares(squares, self.input_size))

    def familiarity(self, squares: np.ndarray) -> np.ndarray | None:
        """How like the training pictures each square is, in [0, 1] (see
        :mod:`catgui.core.familiarity`); ``None`` for a kind that cannot say."""
        return None

    def familiarity_of(self, decoded: Sequence[images.Picture]) -> np.ndarray | None:
        """:meth:`familiarity` of decoded pictures (each decoded at :attr:`input_size`)."""
        if not decoded or not all(self.input_size in p.sizes() for p in decoded):
            return None
        return self.familiarity(np.stack([p.square(self.input_size) for p in decoded]))

    def assess(self, decoded: Sequence[images.Picture]) -> tuple[np.ndarray, np.ndarray | None]:
        """``(classify(decoded), familiarity_of(decoded))``; a kind that can share the work
        of the two (the backbone's pass) overrides it."""
        return self.classify(decoded), self.familiarity_of(decoded)

    def evidence(self, square: np.ndarray, method: str | None = None) -> np.ndarray | None:
        """Where the verdict comes from: a ``(g, g)`` grid over one ``(s, s, 3)`` square,
        positive towards cat (see :mod:`catgui.core.heatmap`); ``None`` for a kind that
        cannot say.

        ``method`` is one of :attr:`methods` (``None``: the first, the most faithful).
        An additive method's grid has the logit as its mean (the pretrained kinds' class
        activation map, logistic regression's ``contribution``); the others are in logit
        units but do not add up to it (see :mod:`catgui.core.network_evidence`).
        """
        return None

    #: The ways :meth:`evidence` can explain, the default first; empty when it cannot.
    methods: tuple[str, ...] = ()

    def method(self, method: str | None) -> str:
        """``method``, or the default one when ``None``; a :class:`CatguiError` listing
        :attr:`methods` when this kind has no such method."""
        if not self.methods:
            raise CatguiError(f"a {self.kind} model cannot show why")
        if method is None:
            return self.methods[0]
        if method not in self.methods:
            raise CatguiError(
                f"a {self.kind} model cannot explain by {method!r}; "
                f"its methods: {', '.join(self.methods)}"
            )
        return method

    def explanation_picture(self, square: np.ndarray, method: str | None = None) -> np.ndarray:
        """What ``catgui explain`` saves: the evidence laid over the square, ``(s, s, 3)``
        uint8 (a method that draws the model itself, such as ``template``, overrides it)."""
        evidence = self.evidence(square, self.method(method))
        if evidence is None:
            raise CatguiError(f"a {self.kind} model cannot show why")
        return heatmap.overlay(square, evidence)


def probabilities_of(classifier: Classifier, squares: np.ndarray) -> np.ndarray:
    """:meth:`Classifier.probabilities` on squares of any side (resized when needed), in chunks."""
    squares = np.asarray(squares)
    out = np.empty(len(squares))
    for start in range(0, len(squares), pictures.CHUNK):
        chunk = squares[start : start + pictures.CHUNK]
        out[start : start + len(chunk)] = classifier.probabilities_any(chunk)
    return out
