"""One migrated test database per state of the migrations, copied for each xdist worker.

Each worker migrating its own database took about 50 s on two busy cores. Here the first worker
of a run migrates, as Django's test runner does, and keeps the result as a template; the other
workers, and later runs while the key below stays the same, copy it: a file copy on SQLite (the
workers' databases are files in /dev/shm, so in memory), ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL. The key hashes what shapes the migrated database: every installed app's migration
files, the package's models (its migrations import them), the settings its data migrations read
and the versions of Django and Wagtail. ``pytest --create-db`` removes the templates before the
workers start, so that the first of them builds a new one.
"""

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def key():
    import django
    import wagtail
    from django.apps import apps
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256()

    def feed(*parts):
        for part in parts:
            digest.update(repr(part).encode())
            digest.update(b"\0")

    feed(
        django.__version__,
        wagtail.__version__,
        settings.SETTINGS_MODULE,
        settings.INSTALLED_APPS,
        settings.LANGUAGE_CODE,
        settings.LANGUAGES,
        getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None),
        getattr(settings, "WAGTAIL_I18N_ENABLED", None),
        settings.MIGRATION_MODULES,
        settings.AUTH_USER_MODEL,
        connections["default"].settings_dict["ENGINE"],
    )
    files = []
    for app in apps.get_app_configs():
        module, _explicit = MigrationLoader.migrations_module(app.label)
        spec = _spec(module)
        if spec and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                files += [(app.label, path) for path in sorted(Path(folder).glob("*.py"))]
    files += [("models", path) for path in sorted((ROOT / "mmm_wagtail" / "models").rglob("*.py"))]
    for label, path in files:
        feed(label, path.name)
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _spec(module):
    try:
        return importlib.util.find_spec(module) if module else None
    except ImportError:  # an app without migrations
        return None


@contextlib.contextmanager
def _locked(path):
    """One process at a time builds or copies a template (xdist workers, two runs side by side)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class SQLiteTemplate:
    """The template is a file under the temporary folder, one folder per checkout; each worker
    copies it into a file of its own in /dev/shm (named after its process: two runs side by
    side never share one)."""

    def __init__(self, settings_dict, key):
        self.folder = _folder()
        self.path = _sqlite_path(key)
        self.lock = (
            self.folder / f"{key}.lock"
        )  # per key: virtualenvs of one checkout do not wait on each other
        shm = Path("/dev/shm")
        workers = (shm if shm.is_dir() and os.access(shm, os.W_OK) else self.folder) / "mmm-wagtail-tests"
        workers.mkdir(parents=True, exist_ok=True)
        _remove_files_of_ended_processes(workers)
        self.worker_path = workers / f"{os.getpid()}.sqlite3"
        settings_dict.setdefault("TEST", {})["NAME"] = str(self.worker_path)

    def exists(self):
        return self.path.exists()

    def save(self, settings_dict):
        """The worker's freshly migrated database becomes the template (through SQLite's backup,
        which reads what is still in the write-ahead log; written aside, then renamed)."""
        # Templates of other keys stay while in use (one per virtualenv: Wagtail 7.4, lowest
        # versions...); those unused for a week go.
        for old in self.folder.glob("*.sqlite3"):
            if time.time() - old.stat().st_mtime > 7 * 86400:
                old.unlink(missing_ok=True)
        partial = self.path.with_suffix(".partial")
        source = sqlite3.connect(settings_dict["NAME"])
        target = sqlite3.connect(partial)
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
        target.close()
        source.close()
        os.replace(partial, self.path)

    def copy(self):
        shutil.copyfile(self.path, self.worker_path)
        os.utime(self.path)  # in use: see save()

    def remove_worker_files(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.worker_path}{suffix}").unlink(missing_ok=True)


def _remove_files_of_ended_processes(folder):
    """A run killed before its teardown leaves its workers' databases behind."""
    for path in folder.glob("*.sqlite3*"):
        pid = path.name.split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            path.unlink(missing_ok=True)


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PostgreSQLTemplate:
    """The template is a database beside the workers' ones, ``<NAME>_tpl_<key>``; a worker's
    database is dropped and created again from it."""

    def __init__(self, settings_dict, key):
        self.settings_dict = settings_dict
        self.prefix = f"{settings_dict['NAME']}_tpl_"
        self.name = f"{self.prefix}{key}"
        self.lock = _folder() / f"{self.name}.lock"

    def _admin(self):
        import psycopg

        config = self.settings_dict
        return psycopg.connect(
            dbname="postgres",
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            autocommit=True,
        )

    def _worker_name(self):
        return self.settings_dict["TEST"].get("NAME") or f"test_{self.settings_dict['NAME']}"

    def exists(self):
        with self._admin() as admin:
            return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()

    def save(self, settings_dict):
        from django.db import connections

        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the source to itself
        self.drop_all()  # older keys' (one database per key: they are not kept)
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{settings_dict["NAME"]}"')

    def drop_all(self):
        with self._admin() as admin:
            for (name,) in admin.execute("SELECT datname FROM pg_database").fetchall():
                if name.startswith(self.prefix):
                    with contextlib.suppress(Exception):  # in use by another run
                        admin.execute(f'DROP DATABASE "{name}"')

    def copy(self):
        worker = self._worker_name()
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{worker}"')
            admin.execute(f'CREATE DATABASE "{worker}" TEMPLATE "{self.name}"')

    def remove_worker_files(self):
        pass


def template_for(settings_dict):
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return SQLiteTemplate(settings_dict, key())
    if engine.startswith("django.db.backends.postgresql"):
        return PostgreSQLTemplate(settings_dict, key())
    return None


def forget(settings_dict):
    """Remove this checkout's templates (``--create-db``; run once, before the workers start)."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        for path in _folder().glob("*.sqlite3"):
            path.unlink(missing_ok=True)
    elif engine.startswith("django.db.backends.postgresql"):
        PostgreSQLTemplate(settings_dict, "").drop_all()


def copy_sqlite_template(target):
    """The run's migrated SQLite template, which no test writes to, copied to ``target`` (a test
    starting a site of its own on the rows Wagtail's migrations create: no flush or serialized
    rollback of the worker's database needed). After ``django_db_setup``."""
    path = _sqlite_path(key())
    if not path.exists():
        raise FileNotFoundError(f"no migrated template at {path}: request django_db_setup first")
    shutil.copyfile(path, target)


class SiteTemplate:
    """The migrated SQLite database of a test site in a process of its own
    (tests/site_process.py, step ``template:migrate``), kept beside the suite's templates under
    the key of that site's settings; ``copy`` makes the site's database from it."""

    def __init__(self, database):
        import django

        django.setup()  # key() reads the installed apps' migrations
        self.database = Path(database)
        self.path = _sqlite_path(f"site-{self._key()}")
        self.lock = self.path.with_suffix(".lock")

    @staticmethod
    def _key():
        """``key()``, and the models of the site's own apps in this checkout (tests/siteapp,
        tests/basepage), which a migration of theirs would follow."""
        from django.apps import apps

        digest = hashlib.sha256(key().encode())
        for app in apps.get_app_configs():
            module = app.models_module
            path = Path(getattr(module, "__file__", None) or "/")
            if ROOT in path.parents and ROOT / "mmm_wagtail" not in path.parents:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()[:16]

    def exists(self):
        return self.path.exists()

    def copy(self):
        from django.db import connections

        connections.close_all()  # an earlier step's connection must not hold the file being replaced
        with _locked(self.lock):
            shutil.copyfile(self.path, self.database)
        os.utime(self.path)
        return {"returncode": 0, "stdout": "", "stderr": ""}

    def save(self):
        with _locked(self.lock):
            partial = self.path.with_suffix(".partial")
            source, target = sqlite3.connect(self.database), sqlite3.connect(partial)
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            target.close()
            source.close()
            os.replace(partial, self.path)


def _sqlite_path(name):
    """Where the SQLite template ``name`` lives (the suite's: its key; a test site's: ``site-<key>``)."""
    return _folder() / f"{name}.sqlite3"


def _folder():
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    return Path(tempfile.gettempdir()) / f"mmm-wagtail-test-db-{checkout}"


def setup(verbosity, serialized_aliases):
    """Django's ``setup_databases`` for the default database, from the template when there is
    one; returns what ``teardown`` needs."""
    from django.db import connections
    from django.test.utils import setup_databases

    settings_dict = connections["default"].settings_dict
    template = template_for(settings_dict)
    if template is None:  # another database: Django's way, migrations and all
        return None, setup_databases(verbosity, interactive=False, serialized_aliases=serialized_aliases)
    with _locked(template.lock):
        if not template.exists():
            config = setup_databases(verbosity, interactive=False, serialized_aliases=serialized_aliases)
            template.save(connections["default"].settings_dict)
        else:
            template.copy()
            config = None
    if config is None:
        # The copy is migrated already: migrate finds nothing to do.
        config = setup_databases(
            verbosity, interactive=False, serialized_aliases=serialized_aliases, keepdb=True
        )
    return template, config


def teardown(template, config, verbosity):
    from django.test.utils import teardown_databases

    teardown_databases(config, verbosity)
    if template is not None:
        template.remove_worker_files()
