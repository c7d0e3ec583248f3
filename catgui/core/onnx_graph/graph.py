"""A small builder over ``onnx.helper``: constants and nodes with unique names, then a model.

Every node has one output, named after its operator (``Gemm_3``); constants are stored
as initializers. Values are float32 unless said otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from catgui.core.errors import CatguiError

#: The ONNX operator set the graphs use (onnxruntime 1.14 and later run it).
OPSET = 17


def onnx_module() -> Any:
    """The ``onnx`` package, or a :class:`CatguiError` saying how to install it."""
    try:
        import onnx
    except ImportError:
        raise CatguiError("exporting to ONNX needs the onnx package (pip install onnx)") from None
    return onnx


class Graph:
    """Nodes and constants of one graph, in the order they were added."""

    def __init__(self) -> None:
        self.onnx = onnx_module()
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._used: Counter[str] = Counter()

    def _name(self, base: str) -> str:
        self._used[base] += 1
        return base if self._used[base] == 1 else f"{base}_{self._used[base] - 1}"

    def constant(self, base: str, value: Any, dtype: Any = np.float32) -> str:
        """An initializer holding ``value`` as ``dtype``; returns its name."""
        name = self._name(base)
        array = np.ascontiguousarray(np.asarray(value, dtype=dtype))
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def shape(self, base: str, dims: tuple[int, ...]) -> str:
        """An int64 constant for Reshape's target shape."""
        return self.constant(base, np.array(dims, dtype=np.int64), np.int64)

    def op(self, op_type: str, *inputs: str, output: str | None = None, **attributes: Any) -> str:
        """Add one node; returns its output's name (``output``, or one made up)."""
        output = output or self._name(op_type)
        self.nodes.append(
            self.onnx.helper.make_node(
                op_type, list(inputs), [output], name=f"{output}_node", **attributes
            )
        )
        return output

    def model(
        self,
        inputs: list[Any],
        outputs: list[Any],
        metadata: Mapping[str, str],
        doc: str,
        graph_name: str,
    ) -> Any:
        """The ``ModelProto``: this graph, the opset, ``metadata`` as metadata_props."""
        helper = self.onnx.helper
        graph = helper.make_graph(
            self.nodes, graph_name, inputs, outputs, initializer=self.initializers, doc_string=doc
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", OPSET)],
            producer_name="catgui",
            doc_string=doc,
        )
        model.ir_version = min(model.ir_version, 8)  # readable by older runtimes too
        helper.set_model_props(model, dict(metadata))
        return model
