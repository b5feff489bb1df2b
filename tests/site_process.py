"""Several ``manage.py`` steps of a test site in one Python process (tests/test_dropin.py,
tests/test_basepage.py).

Each step is Django's own ``ManagementUtility`` on its argument list, as ``python -m django ...``
runs it, in order, on the site the environment names (``DJANGO_SETTINGS_MODULE``,
``DATABASE_URL``): ``check``, then ``migrate`` of a new database, then ``shell -c`` on it... A
step's exit status, standard output and error are what that command would have given as a
process of its own (an exception a command lets out is printed as Python prints it, status 1);
only the interpreter's start, Django's set-up and the imports of Wagtail and the package (about
3 s each on two busy cores) are paid once. Every step runs, whatever the status of the ones
before it: each test checks each step's status in order.

Usage: ``python -m tests.site_process '[["check"], ["migrate", "--noinput"]]'``; prints one JSON
list of ``{"returncode", "stdout", "stderr"}``, one per step.
"""

import contextlib
import io
import json
import sys
import traceback

# A step ``["template:migrate", ...]`` is ``migrate`` of a new SQLite database made from the
# site's template when there is one (tests/db_template.py: keyed by the site's migrations and
# settings), else run, its result kept as that template. For a test whose subject is not the
# migrations themselves (the site's admin menus); ``migrate`` alone always runs them all.
TEMPLATE_STEP = "template:migrate"


def _migrate_from_template(argv):
    from django.conf import settings

    from tests import db_template

    database = settings.DATABASES["default"]["NAME"]
    template = db_template.SiteTemplate(database)
    if template.exists():
        return template.copy()
    result = run(["migrate", *argv[1:]])
    if result["returncode"] == 0:
        template.save()
    return result


def run(argv):
    from django.core.management import ManagementUtility

    if argv and argv[0] == TEMPLATE_STEP:
        return _migrate_from_template(argv)

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            ManagementUtility(["manage.py", *argv]).execute()
            returncode = 0
        except SystemExit as exit:
            code = exit.code
            returncode = code if isinstance(code, int) else (0 if code is None else 1)
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
        except BaseException:  # as the interpreter would end: the traceback, status 1
            traceback.print_exc()
            returncode = 1
    return {"returncode": returncode, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}


def main():
    out = sys.stdout
    results = [run(argv) for argv in json.loads(sys.argv[1])]
    out.write(json.dumps(results))


if __name__ == "__main__":
    main()
