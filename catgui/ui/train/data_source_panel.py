"""Where the training and test pictures come from: the article's, a folder of mine, or both."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from catgui.core import splits
from catgui.core.augment import AugmentConfig
from catgui.core.data_source import Source
from catgui.core.errors import CatguiError
from catgui.core.sources import DataRecipe
from catgui.ui import settings as remembered
from catgui.ui.train.import_status import ImportStatus

#: The choices of training pictures: a data source, or my folder and the article's both.
BOTH = "both"
SOURCES = {
    Source.ARTICLE: "The article's pictures",
    Source.FOLDER: "My pictures (a folder)",
    BOTH: "My pictures + the article's",
}
TESTS = {
    Source.HOLDOUT: "Hold out a share of my pictures",
    Source.FOLDER: "A separate test folder",
    Source.ARTICLE: "The article's 50 test pictures",
}
_FOLDER_TIP = "A folder with a cat/ and a non-cat/ subfolder (also cats/, noncat/, other/, dog/…)"


def _corrections_default(chosen: str) -> bool:
    """Corrections join the user's own pictures by default, never the article's recipe."""
    return chosen != Source.ARTICLE


class DataSourcePanel(QWidget):
    """The data-source choices of the Train tab, and an :class:`ImportStatus` under them.

    :meth:`recipe` turns the choices into a :class:`~catgui.core.sources.DataRecipe`.
    The panel runs nothing itself: the Train tab listens and imports in a thread.

    Signals
    -------
    changed()
        A choice changed (the Train tab compares the recipe with the data set in use).
    applyRequested()
        The user pressed *Use these pictures*, or has just chosen a folder.
    cancelRequested()
        The user pressed *Cancel* during an import.
    """

    changed = Signal()
    applyRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataSourcePanel")
        self._corrections = 0
        self._importing = False
        #: The user's own choice of corrections, per source; unset: :func:`_corrections_default`.
        self._corrections_wanted: dict[str, bool] = {}
        self._test_choice: int | None = (
            None  # the test choice kept while the source is the article's
        )
        self.source = QComboBox(objectName="dataSourceKind")
        for key, text in SOURCES.items():
            self.source.addItem(text, str(key))
        self.source.setToolTip(
            "Train on the article's 209 pictures, on a folder of your own pictures, or on both"
        )
        self.images_edit, self.images_button, images_row = self._folder_row(
            "imagesFolder", "Choose folder…", _FOLDER_TIP
        )
        self.test = QComboBox(objectName="testSourceKind")
        for key, text in TESTS.items():
            self.test.addItem(text, str(key))
        self.share = QSpinBox(objectName="holdoutShare", minimum=5, maximum=50, suffix=" %")
        self.share.setValue(round(100 * splits.DEFAULT_SHARE))
        self.share.setToolTip("How much of each class is kept apart for testing (stratified)")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test, 1)
        test_row.addWidget(self.share)
        self.test_edit, self.test_button, test_folder_row = self._folder_row(
            "testFolder", "Choose…", "Pictures to test on, in cat/ and/or non-cat/ subfolders"
        )
        self.test_folder_widget = QWidget()
        self.test_folder_widget.setLayout(test_folder_row)
        self.augment = QCheckBox("Augment with", objectName="augmentCheck")
        self.augment.setToolTip(
            "Add flipped, slightly cropped and brightened copies of each training picture "
            "(seeded: the same copies every time; test pictures are never changed)"
        )
        self.copies = QSpinBox(objectName="augmentCopies", minimum=1, maximum=20)
        self.copies.setSuffix(" extra copy")
        self.corrections = QCheckBox(objectName="includeCorrections")
        options = QHBoxLayout()
        options.addWidget(self.augment)
        options.addWidget(self.copies)
        options.addStretch(1)
        self.import_status = ImportStatus(self)
        for combo in (self.source, self.test):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Train on:", self.source)
        form.addRow("Folder:", images_row)
        form.addRow("Test on:", test_row)
        form.addRow("", self.test_folder_widget)
        form.addRow("", options)
        form.addRow("", self.corrections)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.import_status)

        self.images_button.clicked.connect(lambda: self._choose(self.images_edit, "images"))
        self.test_button.clicked.connect(lambda: self._choose(self.test_edit, "test"))
        self.import_status.applyRequested.connect(self.applyRequested)
        self.import_status.cancelRequested.connect(self.cancelRequested)
        for signal in (self.source.currentIndexChanged, self.test.currentIndexChanged):
            signal.connect(self._choices_changed)
        for signal in (self.share.valueChanged, self.copies.valueChanged):
            signal.connect(self._choices_changed)
        self.augment.toggled.connect(self._choices_changed)
        self.corrections.toggled.connect(self._corrections_toggled)
        self.set_corrections_count(0)
        self._apply_rules()

    # -- the recipe -----------------------------------------------------------------------------
    def chosen(self) -> str:
        """Where the training pictures come from: a :class:`Source` value or :data:`BOTH`."""
        return self.source.currentData()

    def recipe(self, article_folder: str | None = None) -> DataRecipe:
        """The choices as a recipe; :class:`CatguiError` saying what is missing."""
        corrections = self._corrections > 0 and self.corrections.isChecked()
        augment = AugmentConfig(copies=self.copies.value()) if self.augment.isChecked() else None
        if self.chosen() == Source.ARTICLE:
            return DataRecipe(
                article_folder=article_folder, corrections=corrections, augment=augment
            ).validate()
        images = self.images_edit.text().strip()
        if not images:
            raise CatguiError("choose the folder of your pictures first (Choose folder…)")
        test_from = self.test.currentData()
        test_images = self.test_edit.text().strip() or None
        if test_from == Source.FOLDER and test_images is None:
            raise CatguiError("choose the folder of test pictures first (Choose…)")
        return DataRecipe(
            images=Path(images),
            test_from=test_from,
            test_images=Path(test_images) if test_from == Source.FOLDER else None,
            holdout=self.share.value() / 100,
            article_train=self.chosen() == BOTH,
            article_folder=article_folder,
            corrections=corrections,
            augment=augment,
        ).validate()

    def set_images_folder(self, folder: str, chosen: str | None = None) -> None:
        """Use ``folder`` for my pictures (and switch the choice to ``chosen`` if given)."""
        if chosen is not None:
            self.source.setCurrentIndex(self.source.findData(str(chosen)))
        self.images_edit.setText(folder)
        self.images_edit.setToolTip(folder or _FOLDER_TIP)
        self._choices_changed()

    def set_test_folder(self, folder: str) -> None:
        self.test.setCurrentIndex(self.test.findData(Source.FOLDER.value))
        self.test_edit.setText(folder)
        self.test_edit.setToolTip(folder)
        self._choices_changed()

    def set_corrections_count(self, n: int) -> None:
        """Show ``Include my corrections (n)``; off and disabled while there are none."""
        self._corrections = n
        self.corrections.setText(f"Include my corrections ({n:,})")
        self.corrections.setEnabled(n > 0 and not self._importing)
        self._show_corrections_choice()
        self.corrections.setToolTip(
            "Pictures you marked as wrong in Classify, added to the training pictures "
            "(off by default for the article's pictures: its recipe stays the article's)"
            if n
            else "No corrections yet: in Classify, tell catgui when it is wrong to add one"
        )

    def restore_defaults(self) -> None:
        """The recipe's data choices: no augmentation, corrections as each source's default
        (never added to the article's pictures unless the user ticks them again)."""
        self._corrections_wanted.clear()
        self.augment.setChecked(False)
        self._show_corrections_choice()
        self._choices_changed()

    # -- what the import is doing ---------------------------------------------------------------
    def set_importing(self, importing: bool) -> None:
        """Lock the choices while their pictures are being imported."""
        self._importing = importing
        for widget in (self.source, self.images_button, self.test, self.share, self.test_button):
            widget.setEnabled(not importing)
        for widget in (self.augment, self.copies):
            widget.setEnabled(not importing)
        self.corrections.setEnabled(not importing and self._corrections > 0)
        self.import_status.set_importing(importing)
        if not importing:
            self._apply_rules()

    # -- settings -------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue(remembered.DATA_SOURCE, self.chosen())
        settings.setValue(remembered.DATA_TEST, self.test.currentData())
        settings.setValue(remembered.DATA_SHARE, self.share.value())
        settings.setValue(remembered.IMAGES_FOLDER, self.images_edit.text())
        settings.setValue(remembered.TEST_IMAGES_FOLDER, self.test_edit.text())

    def load_settings(self, settings: QSettings) -> None:
        self.blockSignals(True)
        try:
            source = remembered.value(settings, remembered.DATA_SOURCE)
            test = remembered.value(settings, remembered.DATA_TEST)
            self.source.setCurrentIndex(max(0, self.source.findData(source)))
            self.test.setCurrentIndex(max(0, self.test.findData(test)))
            share = remembered.value(settings, remembered.DATA_SHARE)
            self.share.setValue(int(share) if str(share).isdigit() else self.share.value())
            self.images_edit.setText(remembered.folder(settings, remembered.IMAGES_FOLDER))
            self.test_edit.setText(remembered.folder(settings, remembered.TEST_IMAGES_FOLDER))
        finally:
            self.blockSignals(False)
        self._apply_rules()

    # -- internals ------------------------------------------------------------------------------
    def _folder_row(self, name: str, button_text: str, tip: str):
        edit = QLineEdit(objectName=f"{name}Edit", readOnly=True)
        edit.setPlaceholderText("No folder chosen")
        edit.setToolTip(tip)
        button = QPushButton(button_text, objectName=f"{name}Button")
        button.setToolTip(tip)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(button)
        return edit, button, row

    def _choose(self, edit: QLineEdit, what: str) -> None:
        title = "Choose the folder of your pictures" if what == "images" else "Choose test pictures"
        start = edit.text() or self.images_edit.text() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, title, start)
        if not folder:
            return
        if what == "images":
            self.set_images_folder(
                folder, Source.FOLDER if self.chosen() == Source.ARTICLE else None
            )
        else:
            self.set_test_folder(folder)
        self.applyRequested.emit()

    def _corrections_toggled(self, checked: bool) -> None:
        self._corrections_wanted[self.chosen()] = checked
        self._choices_changed()

    def _show_corrections_choice(self) -> None:
        """Tick the box as the user chose for this source, else as its default."""
        chosen = self.chosen()
        wanted = self._corrections_wanted.get(chosen, _corrections_default(chosen))
        self.corrections.blockSignals(True)  # shown off while there are none
        self.corrections.setChecked(self._corrections > 0 and wanted)
        self.corrections.blockSignals(False)

    def _choices_changed(self, *_args) -> None:
        self._apply_rules()
        self.changed.emit()

    def _apply_rules(self) -> None:
        """Hide or disable what does not apply to the current choices, saying why."""
        mine = self.chosen() != Source.ARTICLE
        self._show_corrections_choice()
        enabled = self.isEnabled() and not self._importing
        self.images_edit.setEnabled(mine)
        self.images_button.setEnabled(enabled)  # choosing a folder switches to it
        self.test.setEnabled(mine and enabled)
        self.test.setToolTip(
            "Which pictures measure the accuracy (never used for training)"
            if mine
            else "The article's data set brings its own 50 test pictures"
        )
        self.test.blockSignals(True)  # show what the article source tests on; restore after
        if not mine and self.test.currentData() != Source.ARTICLE:
            self._test_choice = self.test.currentIndex()
            self.test.setCurrentIndex(self.test.findData(Source.ARTICLE.value))
        elif mine and self._test_choice is not None:
            self.test.setCurrentIndex(self._test_choice)
            self._test_choice = None
        self.test.blockSignals(False)
        holdout = mine and self.test.currentData() == Source.HOLDOUT
        self.share.setVisible(holdout)
        self.test_folder_widget.setVisible(mine and self.test.currentData() == Source.FOLDER)
        self.copies.setEnabled(self.augment.isChecked() and enabled)
        n = self.copies.value()
        self.copies.setSuffix(" extra copy" if n == 1 else " extra copies")
