"""Exporting a model to ONNX: one input contract for every kind, p(cat) out.

Input ``pixels``: a batch ``(N, S, S, 3)`` of RGB pixels on 0-255 (uint8, or float32 when
exported so), exactly the square the kind sees (``S`` = 64 for the article's kinds, 224
for the pretrained ones), made from a file as ``metadata_props["preprocessing"]`` says.
Every scaling and flattening happens inside the graph. Outputs: ``p_cat`` ``(N,)``, the
probability of cat (float32; cat when above 0.5), and ``logit`` ``(N,)``, its log-odds.
The kind draws its part of the graph (:meth:`~catgui.core.kinds.base.ModelKind.onnx_graph`);
the file is checked by ``onnx.checker`` and written atomically.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catgui import __version__
from catgui.core import atomic, decision, images, kinds
from catgui.core.errors import CatguiError
from catgui.core.onnx_graph.graph import OPSET, Graph
from catgui.core.persistence import Model

#: The input's element types an export can take.
INPUT_TYPES = ("uint8", "float32")
SUFFIX = ".onnx"


@dataclass(frozen=True)
class Exported:
    path: Path
    size: int  # bytes
    input_shape: tuple[str | int, ...]
    input_type: str
    opset: int


def build(model: Model, input_type: str = "uint8") -> Any:
    """The checked ``onnx.ModelProto`` of ``model``."""
    if input_type not in INPUT_TYPES:
        raise CatguiError(
            f"the input type must be one of {', '.join(INPUT_TYPES)}, got {input_type!r}"
        )
    kind = kinds.get(model.kind)
    classifier = model.classifier
    graph = Graph()
    onnx = graph.onnx
    tensor = onnx.TensorProto
    pixels = "pixels" if input_type == "float32" else graph.op("Cast", "pixels", to=tensor.FLOAT)
    logit = kind.onnx_graph(classifier, graph, pixels)
    flat = graph.op("Reshape", logit, graph.shape("one_per_picture", (-1,)))
    graph.op("Sigmoid", graph.op("Cast", flat, to=tensor.FLOAT, output="logit"), output="p_cat")
    side = classifier.input_size
    shape = ("N", side, side, 3)
    element = tensor.UINT8 if input_type == "uint8" else tensor.FLOAT
    helper = onnx.helper
    proto = graph.model(
        inputs=[helper.make_tensor_value_info("pixels", element, list(shape))],
        outputs=[
            helper.make_tensor_value_info("p_cat", tensor.FLOAT, ["N"]),
            helper.make_tensor_value_info("logit", tensor.FLOAT, ["N"]),
        ],
        metadata=metadata(model, input_type),
        doc=f"catgui {model.kind} model {model.name}: {classifier.describe()}. p_cat = P(cat).",
        graph_name=f"catgui_{model.kind}".replace("-", "_"),
    )
    try:
        onnx.checker.check_model(proto, full_check=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as exc:
        raise CatguiError(f"the exported graph does not pass onnx.checker: {exc}") from None
    return proto


def size_text(size: int) -> str:
    """``50,460`` -> ``"49 KB"``, ``18,561,461`` -> ``"18.6 MB"``."""
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1024))} KB"


def metadata(model: Model, input_type: str) -> dict[str, str]:
    """What the file says of itself (``metadata_props``)."""
    kind = kinds.get(model.kind)
    side = model.classifier.input_size
    preprocessing = dict(model.metadata.get("preprocessing") or kind.preprocessing)
    preprocessing.pop("layout", None)  # the engine's matrix layout, not the file's input
    preprocessing.setdefault("alpha", images.PREPROCESSING["alpha"])  # one decoder for all
    preprocessing["jpeg"] = (
        f"decoded at reduced size, at least {images.DRAFT_FACTOR} x the side (Pillow draft)"
    )
    preprocessing["crop_offsets"] = "integer: ((width - side) // 2, (height - side) // 2)"
    props = {
        "catgui_version": __version__,
        "kind": kind.name,
        "model": model.name,
        "architecture": model.classifier.describe(),
        "opset": str(OPSET),
        "input": (
            f"pixels: (N, {side}, {side}, 3) RGB {input_type} on 0-255, the centred square "
            "the model sees (see preprocessing); scaling happens inside the graph"
        ),
        "output": "p_cat: (N,) probability of cat; logit: (N,) its log-odds",
        "decision": "cat when p_cat > 0.5",
        "unsure_band": json.dumps(list(decision.UNSURE_BAND)),
        "preprocessing": json.dumps(preprocessing, sort_keys=True),
    }
    accuracy = model.test_accuracy
    if accuracy is not None:
        props["test_accuracy"] = f"{accuracy:.4f}"
    return props


def target(path: str | Path, name: str) -> Path:
    """Where an export to ``path`` goes: inside it as ``name.onnx`` when it is a folder,
    else ``path`` with ``.onnx`` added when it has another suffix."""
    path = Path(path)
    if path.is_dir():
        return path / (name + SUFFIX)
    atomic.check_target(path, "file")
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def to_onnx(
    model: Model, path: str | Path, input_type: str = "uint8", overwrite: bool = False
) -> Exported:
    """Write ``model`` as an ONNX file at ``path`` (see :func:`target`)."""
    path = target(path, model.name)
    proto = build(model, input_type)
    data = proto.SerializeToString()
    atomic.write(path, lambda f: f.write(data), overwrite=overwrite, what="file")
    side = model.classifier.input_size
    return Exported(path, len(data), ("N", side, side, 3), input_type, OPSET)


def read_metadata(path: str | Path) -> dict[str, str]:
    """The ``metadata_props`` of an exported file (for checks and the CLI)."""
    from catgui.core.onnx_graph.graph import onnx_module

    onnx = onnx_module()
    from google.protobuf.message import DecodeError

    try:
        proto = onnx.load_model(io.BytesIO(Path(path).read_bytes()), load_external_data=False)
    except OSError as exc:
        raise CatguiError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except DecodeError:
        raise CatguiError(f"{path}: not an ONNX file") from None
    return {p.key: p.value for p in proto.metadata_props}
