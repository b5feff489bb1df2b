"""The package's layers (docs/development.md, "Layers"; the contract is ``.importlinter``):
faces (api, syndication, templatetags, admin hooks, preview's endpoint and admin) -> queries,
tag_names and translating -> models -> blocks, teasers, locales, statements, sites -> conf. No module
imports a layer above its own, not even inside a function."""

from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / ".importlinter"


def _lint(config, monkeypatch, where):
    monkeypatch.chdir(where)
    return cli.lint_imports(config_filename=str(config), no_cache=True, no_logo=True)


def test_the_package_keeps_its_layers(monkeypatch):
    assert _lint(CONTRACT, monkeypatch, ROOT) == cli.EXIT_STATUS_SUCCESS


def test_the_contract_fails_on_an_upward_import_inside_a_function(tmp_path, monkeypatch):
    """The same kind of contract on a small package whose lowest layer imports its top one
    inside a function (the way the models once reached ``queries``): the check fails."""
    package = tmp_path / "layered_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "faces.py").write_text("from . import models\n")
    upward = "def get_context():\n    from .faces import models\n\n    return models\n"
    (package / "models.py").write_text(upward)
    config = tmp_path / ".importlinter"
    config.write_text(
        "[importlinter]\nroot_package = layered_probe\n\n"
        "[importlinter:contract:layers]\nname = probe\ntype = layers\n"
        "containers =\n    layered_probe\nlayers =\n    faces\n    models\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _lint(config, monkeypatch, tmp_path) == cli.EXIT_STATUS_ERROR
    # and it is the contract that fails, not the set-up: without the import it passes
    (package / "models.py").write_text("def get_context():\n    return None\n")
    assert _lint(config, monkeypatch, tmp_path) == cli.EXIT_STATUS_SUCCESS
