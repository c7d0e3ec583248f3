"""ONNX graphs of catgui's models, built with the ``onnx`` package's helper API.

:mod:`~catgui.core.onnx_graph.graph` is a small builder (named constants, one node at a
time); :mod:`~catgui.core.onnx_graph.network` draws the article's fully connected networks
and :mod:`~catgui.core.onnx_graph.backbone` EfficientNet-Lite0 and the heads on it. Each
model kind says which to use (:meth:`~catgui.core.kinds.base.ModelKind.onnx_graph`);
:mod:`catgui.core.export` puts the pieces together and writes the file. Nothing here
imports ``onnx`` until a graph is built.
"""
