"""The main window's actions and its menu bar: File, Training and Help."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from catgui.ui.log_folder import open_log_folder
from catgui.ui.shortcuts_dialog import show_shortcuts


def add_action(window: QMainWindow, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    """An action of ``window`` calling ``slot``; its shortcut works with the menu bar hidden."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_menus(window: QMainWindow) -> None:
    """Give the main window its actions, as attributes, and put them in its menus.

    Like a Designer form's ``setupUi``: sets ``window.open_images_action``,
    ``paste_action``, ``open_data_action``, ``open_model_action``, ``save_model_action``,
    ``export_action``, ``quit_action``, ``train_action``, ``stop_action`` (disabled while
    nothing runs), ``suspects_action`` and ``about_action``, each calling the window's method (or its Train
    tab's) of that name; and ``shortcuts_action`` and ``log_folder_action`` (Help),
    calling :func:`~catgui.ui.shortcuts_dialog.show_shortcuts` and
    :func:`~catgui.ui.log_folder.open_log_folder`.
    """
    key = QKeySequence.StandardKey
    window.open_images_action = add_action(
        window, "Open Images…", window.open_images, key.Open, "Choose pictures to classify"
    )
    window.paste_action = add_action(
        window,
        "Paste Image",
        window.paste_image,
        key.Paste,
        "Classify the picture on the clipboard",
    )
    window.open_data_action = add_action(
        window,
        "Open Data Set Folder…",
        window.open_dataset_dialog,
        "Ctrl+Shift+D",
        "Choose the folder holding the cat/non-cat h5 files",
    )
    window.open_model_action = add_action(
        window, "Open Model…", window.open_model_dialog, "Ctrl+Shift+O", "Open a saved .npz model"
    )
    window.save_model_action = add_action(
        window, "Save Model As…", window.save_model_dialog, "Ctrl+Shift+S", "Save the active model"
    )
    window.export_action = add_action(
        window,
        "Export Model…",
        lambda: window.exporter.ask(window.state.model),
        "Ctrl+E",
        "Write the active model as an ONNX file, for use outside catgui",
    )
    window.quit_action = add_action(window, "Quit", window.close, "Ctrl+Q")
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    # the Train tab is built after the first paint: look it up when the action fires
    window.train_action = add_action(
        window, "Train", lambda: window.train_tab.start(), "Ctrl+Return"
    )
    window.stop_action = add_action(window, "Stop Training", lambda: window.train_tab.stop(), "Esc")
    window.stop_action.setEnabled(False)  # until a run starts
    window.suspects_action = add_action(
        window,
        "Suspicious Labels…",
        lambda: window.train_tab.open_suspects(),
        tip="Training pictures whose label the cross-validated pretrained model disputes: "
        "relabel or exclude them",
    )
    window.shortcuts_action = add_action(
        window,
        "Keyboard Shortcuts",
        lambda: show_shortcuts(window),
        key.HelpContents,
        "Every shortcut of the window, and what it does",
    )
    window.log_folder_action = add_action(
        window,
        "Open Log Folder",
        lambda: open_log_folder(window),
        tip="The folder of catgui.log, where the details of errors are written",
    )
    window.about_action = add_action(window, "About catgui", window.show_about)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    groups = (
        (window.open_images_action, window.paste_action),
        (window.open_data_action, window.open_model_action, window.save_model_action),
        (window.export_action,),
        (window.quit_action,),
    )
    for i, group in enumerate(groups):
        if i:
            file_menu.addSeparator()
        file_menu.addActions(group)
    train_menu = bar.addMenu("T&raining")
    train_menu.addAction(window.train_action)
    train_menu.addAction(window.stop_action)
    train_menu.addSeparator()
    train_menu.addAction(window.suspects_action)
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([window.shortcuts_action, window.log_folder_action])
    help_menu.addSeparator()
    help_menu.addAction(window.about_action)
