"""Qt threads: the only place that runs catgui.core work off the GUI thread.

One module per kind of work (train, classify, download). Workers emit plain data with
signals and never touch widgets, QPixmaps or figures; they check
``isInterruptionRequested()`` between steps.
"""
