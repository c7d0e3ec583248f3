"""Qt threads: the only place that runs catgui.core work off the GUI thread.

One generic worker (:class:`~catgui.workers.generator.GeneratorWorker`) drives any core
generator: throttled progress, the result, every error as one readable ``failed(str)``,
and interruption between steps. Each kind of work (train, prepare_data, download,
classify) is a thin declaration on it: which generator, how progress maps to its
signals. Workers emit plain data and never touch widgets, QPixmaps or figures.
"""
