"""Take the README's window screenshots from the real window (run under Xvfb).

    xvfb-run -a python docs/screenshots/take.py            # every scene
    xvfb-run -a python docs/screenshots/take.py classify   # one scene

Each scene runs in a fresh process with a fresh CATGUI_HOME and settings, on the data
set in $CATGUI_DATA (default ../shared/datasets) and its photos/ folder; the PNGs are
written next to this file. Real runs, real drops, nothing staged.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = Path(os.environ.get("CATGUI_DATA", ROOT.parent / "shared" / "datasets"))
PHOTOS = DATA / "photos"
SCENES = (
    "train",
    "train-folder",
    "sweep-seeds",
    "classify",
    "classify-why",
    "classify-corrections",
    "mistakes",
    "dark",
    "scale2-classify",
    "library",
)


def photo(name: str) -> str:
    return str(PHOTOS / name.split(".")[0] / name)


def scene(name: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from catgui.core import paths
    from catgui.ui import application
    from catgui.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    application.configure(app)
    if name == "dark":
        from catgui.ui.common.dark_palette import use_dark_palette

        use_dark_palette(app)
    home = Path(os.environ["CATGUI_HOME"])
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    state, _problems = application.initial_state(settings)
    state.models_folder = home / "models"  # runs saved here, not in the checkout
    state.models_folder.mkdir(exist_ok=True)
    window = MainWindow(state, settings=settings)
    size = {"classify-corrections": (1280, 800), "dark": (1100, 720)}.get(name, (1100, 760))
    if name == "scale2-classify":
        size = (1100, 720)
    window.resize(*size)
    window.show()

    def pump(seconds: float = 0.3, until=None, limit: float = 600) -> None:
        start = time.monotonic()
        while True:
            app.processEvents()
            done = until() if until is not None else time.monotonic() - start > seconds
            if done or time.monotonic() - start > limit:
                break
            time.sleep(0.01)
        for _ in range(30):
            app.processEvents()

    def save(widget, file: str) -> None:
        window.statusBar().clearMessage()  # the status bar names the active model
        pump(0.5)
        widget.grab().save(str(HERE / file))
        print("saved", file)

    def shoot() -> None:
        train, classify, mistakes = window.train_tab, window.classify_tab, window.mistakes_tab

        def run(iterations: int, keep: bool = True) -> None:
            train.form.set_field("iterations", str(iterations))
            train.start()
            pump(until=lambda: not train.is_running() and not train.data_box.is_preparing())
            if keep and train.pending is not None:
                train.summary.save_button.click()
            pump(0.5)

        def drop(names: list[str]) -> None:
            window.add_paths(names)
            pump(until=lambda: not classify.is_busy() and not classify.insights.is_busy())

        default = str(paths.default_model_path())
        if name in ("train", "dark"):
            window.open_model(default)
            window.tabs.setCurrentWidget(train)
            run(2500)
            save(window, "train.png" if name == "train" else "dark-train.png")
            if name == "train":
                train.views.setCurrentIndex(1)
                save(window, "train-units.png")
                return
        if name == "train-folder":
            window.open_model(default)
            window.tabs.setCurrentWidget(train)
            train.data_box.sources.set_images_folder(str(PHOTOS), "folder")
            run(600)
            save(window, "train-folder.png")
            return
        if name == "sweep-seeds":
            window.open_model(default)
            window.tabs.setCurrentWidget(train)
            train.open_sweep()
            dialog = train.sweep_dialog
            dialog.resize(1100, 760)
            dialog.start()
            pump(until=lambda: not dialog.is_running())
            save(dialog, "sweep-seeds.png")
            return
        if name in ("classify", "classify-corrections", "scale2-classify", "dark"):
            window.open_model(str(paths.photo_model_path()) if name == "dark" else default)
            window.tabs.setCurrentWidget(classify)
            cats = [photo(f"cat.{i}.jpg") for i in range(1, 6)]
            dogs = [photo(f"dog.{i}.jpg") for i in range(1, 6)]
            broken = Path(os.environ["CATGUI_HOME"]) / "not a picture.jpg"
            broken.write_bytes(b"this is not a JPEG")
            if name == "classify-corrections":
                drop(cats[:3] + dogs[:4])
                row = classify.results.row_of(Path(dogs[0]))
                classify.corrections.correct_rows([row], False)
                classify.results_view.setCurrentIndex(classify.results.index(row))
                save(window, "classify-corrections.png")
                dialog = classify.open_corrections()
                dialog.list.item(0).setSelected(True)
                save(dialog, "corrections-dialog.png")
                return
            drop(cats + dogs + [str(broken)])
            file = {"classify": "classify.png", "dark": "dark-classify.png"}.get(
                name, "scale2-classify.png"
            )
            save(window, file)
            if name != "dark":
                return
        if name == "classify-why":
            window.tabs.setCurrentWidget(classify)
            drop([photo(n) for n in ("cat.279.jpg", "cat.28.jpg", "cat.280.jpg")])
            drop([photo(n) for n in ("dog.369.jpg", "dog.37.jpg", "dog.370.jpg")])
            classify.status_row.why_button.setChecked(True)
            pump(until=lambda: not classify.insights.is_busy())
            save(window, "classify-why.png")
            classify.status_row.why_button.setChecked(False)
            classify.status_row.compare_combo.choose(default)
            pump(until=lambda: not classify.insights.is_busy())
            save(window, "classify-compare.png")
            return
        if name == "library":
            library_scene()
            return
        if name in ("mistakes", "dark"):
            window.open_model(default)  # the article's network: mistakes to show
            window.tabs.setCurrentWidget(mistakes)
            pump(until=lambda: mistakes.worker is None and mistakes.evaluation is not None)
            save(window, "mistakes.png" if name == "mistakes" else "dark-mistakes.png")
            if name == "mistakes":
                window.resize(1280, 800)
                mistakes.set_threshold(0.62)
                save(window, "mistakes-threshold.png")

    def library_scene() -> None:
        """200 of the photos (and a file that is not one), scanned in the Library tab."""
        folder = home / "Pictures" / "pets"
        for kind in ("cat", "dog"):
            (folder / f"{kind}s").mkdir(parents=True)
            for i in range(1, 101):
                os.link(photo(f"{kind}.{i}.jpg"), folder / f"{kind}s" / f"{kind}.{i}.jpg")
        (folder / "notes.jpg").write_text("a shopping list, not a picture")
        window.open_model(str(paths.photo_model_path()))
        library = window.library_tab
        window.tabs.setCurrentWidget(library)
        library.add_folders([str(folder)])
        pump(until=lambda: not library.is_scanning())
        library.filters.choose_sort("probability")
        pump(until=lambda: not library.browser.is_busy() and not library.follower.is_busy())
        pump(1.0)
        model = library.model  # where the verdicts turn from cat to not cat, unsure between
        turn = next(r for r in range(model.rowCount()) if (model.item(r).probability or 0) < 0.7)
        library.grid.scrollTo(model.index(turn), library.grid.ScrollHint.PositionAtCenter)
        unsure = [model.item(r).path for r in range(model.rowCount()) if model.item(r).unsure]
        library.select_paths(unsure[:2])
        library.grid.scrollTo(model.index(turn), library.grid.ScrollHint.PositionAtCenter)
        pump(until=lambda: not model.thumbnails.is_busy())
        save(window, "library.png")

    try:
        shoot()
    finally:
        window.close()  # stops the threads still working (an evaluation, a scan)


def main() -> None:
    wanted = sys.argv[1:] or list(SCENES)
    if len(wanted) == 2 and wanted[0] == "--scene":
        os.chdir(ROOT)
        scene(wanted[1])
        return
    for name in wanted:
        env = dict(os.environ, CATGUI_HOME=tempfile.mkdtemp(prefix="catgui-shots-"))
        env["CATGUI_DATA"] = str(DATA)
        if name == "scale2-classify":
            env["QT_SCALE_FACTOR"] = "2"
        subprocess.run([sys.executable, __file__, "--scene", name], env=env, check=True)


if __name__ == "__main__":
    main()
