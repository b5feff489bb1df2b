"""CI "fresh site" job: every doc page giving set-up steps applied to a new `wagtail start` site.

    python .ci/fresh_site.py VENV [--multilingual] [--site-app] [--custom-base-page] [--workdir DIR]
                             [--port PORT]

VENV is a virtualenv with the Django (and Wagtail) to test. The code blocks are read from the docs themselves
(the ones after a `<!-- fresh-site: NAME -->` marker, in any page of docs/), so the docs and this test cannot
drift: docs/installation.md's install commands (the wheel built from this clone, installed in VENV), its
settings, URLs, the Site's address and content; with `--multilingual`, its multilingual settings and URLs,
then docs/translation.md's locale and translation blocks. Then: migrate, check, and every API endpoint of the
OpenAPI document, the API docs, each feed and the HTML pages, requested through Django's test client.
`--site-app` first adds a site app with its own NewsPage and DelegationPage (with tags), whose names the
package's must not clash with. `--custom-base-page` (Wagtail 8) first gives the new site its own base
page model (`WAGTAIL_PAGE_MODEL`), set up before the first migrate as Wagtail's "Defining custom base page
models" says: an app `basepage` holding only `BasePage`, its three migrations, `home` moved onto it; the
package's page types then subclass that model.

JavaScript steps (docs/frontend.md's routing recipe): a block after `<!-- fresh-site-node: NAME -->` is run
with `node` while the new site is served on 127.0.0.1 (`--port`), with `MMM_API` (the API's absolute URL)
and `MMM_SITE` in its environment; it fails the job by exiting non-zero.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# The blocks each mode needs, and the page they come from.
REQUIRED = {
    "installation.md": {"install", "settings", "urls", "site", "content"},
}
MULTILINGUAL = {
    "installation.md": {"multilingual-settings", "multilingual-urls"},
    "translation.md": {"translation-locale", "translation-translate"},
}
MARKED_BLOCK = r"<!-- fresh-site(-node)?: ([\w-]+) -->\n```\w*\n(.*?)```"
SITE_HOST = "https://www.example.org"  # docs/installation.md, "Your site's address"

# The site app beside the package (--site-app): the test suite's own (tests/siteapp), in an app named "news".
SITE_APP_MODELS = (
    (Path(__file__).resolve().parent.parent / "tests" / "siteapp" / "models.py")
    .read_text()
    .replace('"siteapp.NewsPage"', '"news.NewsPage"')
)

# --custom-base-page: the site's own base page model, as Wagtail's "Defining custom base page models" has it.
BASE_PAGE_MODELS = """from django.db import models
from wagtail.models import AbstractPage


class BasePage(AbstractPage):
    category = models.CharField(max_length=100, blank=True)

    promote_panels = AbstractPage.promote_panels + ["category"]
"""
BASE_PAGE_BOOTSTRAP = """from django.db import migrations
from wagtail.models import BootstrapLocaleField, BootstrapTranslatableModel, BootstrapTranslationKeyField


class Migration(migrations.Migration):
    dependencies = [
        ("basepage", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        BootstrapLocaleField("basepage.BasePage"),
        BootstrapTranslationKeyField("basepage.BasePage"),
        BootstrapTranslatableModel("basepage.BasePage"),
    ]
"""
# In the site once its pages are made: every page, the package's too, is a BasePage (with its field).
BASE_PAGE_CHECK = """
import wagtail.models
from basepage.models import BasePage
from mmm_wagtail.models import NewsPage
assert issubclass(NewsPage, BasePage)
assert BasePage.objects.type(NewsPage).count() == NewsPage.objects.count() == 1
assert BasePage.objects.get(pk=NewsPage.objects.get().pk).specific.category == ""
try:
    wagtail.models.Page.objects
except AttributeError:
    print("wagtail.models.Page.objects: swapped out, as Wagtail documents")
else:
    raise AssertionError("wagtail.models.Page still has a manager on a site with its own base page")
"""


def first_migration_of_base_page(path):
    """Wagtail's step: the initial migration runs before Wagtail's own, so it loses its wagtailcore
    dependency, the four fields pointing at models made later, and their unique_together (the next two
    migrations add them back)."""
    text = path.read_text()
    text, deps = re.subn(r"""\n\s*\(['"]wagtailcore['"], ['"][^'"]+['"]\),""", "", text)
    for name in ("latest_revision", "live_revision", "locale", "translation_key"):
        text, count = re.subn(rf"""\n\s*\(['"]{name}['"], [^\n]*\),(?=\n)""", "", text)
        assert count == 1, f"{path.name}: no field {name} to drop (makemigrations' output changed shape?)"
    unique = r"""\n\s*['"]unique_together['"]: \{\(['"]translation_key['"], ['"]locale['"]\)\},"""
    text, count = re.subn(unique, "", text)
    assert deps == 1 and count == 1, f"{path.name}: makemigrations' output changed shape"
    path.write_text(text)


def custom_base_page(python, site, settings, settings_text, env):
    """Wagtail's "Defining custom base page models", step by step, before the package is installed in the
    settings: returns the settings with the base page app and WAGTAIL_PAGE_MODEL."""
    manage = (python, "manage.py")
    run(*manage, "startapp", "basepage", cwd=site)
    (site / "basepage" / "models.py").write_text(BASE_PAGE_MODELS)
    settings_text += (
        "\n# Wagtail's custom base page model (--custom-base-page), set before the first migrate\n"
        'INSTALLED_APPS = ["basepage", *INSTALLED_APPS]\nWAGTAIL_PAGE_MODEL = "basepage.BasePage"\n'
    )
    # "Temporarily comment out" the apps with page models (home) while the base page's migrations are made.
    settings.write_text(settings_text + 'INSTALLED_APPS.remove("home")\n')
    migrations = site / "basepage" / "migrations"
    run(*manage, "makemigrations", "basepage", cwd=site, env=env)
    first_migration_of_base_page(migrations / "0001_initial.py")
    (migrations / "0002_bootstrap_page_model.py").write_text(BASE_PAGE_BOOTSTRAP)
    # --noinput answers "ignore for now" for locale becoming non-null: the bootstrap filled it.
    run(*manage, "makemigrations", "basepage", "--noinput", "-n", "finalize_page_model", cwd=site, env=env)
    assert (migrations / "0003_finalize_page_model.py").exists()
    # home onto BasePage: its model, its two migrations (Wagtail's list of edits), the search view.
    home = site / "home"
    replace(home / "models.py", ("from wagtail.models import Page", "from basepage.models import BasePage"))
    replace(home / "models.py", ("class HomePage(Page):", "class HomePage(BasePage):"))
    replace(
        home / "migrations" / "0001_initial.py",
        ('"page_ptr"', '"basepage_ptr"'),
        ('to="wagtailcore.Page"', 'to="basepage.BasePage"'),
        ('bases=("wagtailcore.page",)', 'bases=("basepage.basepage",)'),
        # Not in Wagtail's list, but the foreign key needs the table: the base page's first migration.
        (
            '("wagtailcore", "0040_page_draft_title"),',
            '("wagtailcore", "0040_page_draft_title"),\n        ("basepage", "0001_initial"),',
        ),
    )
    replace(
        home / "migrations" / "0002_create_homepage.py",
        ('apps.get_model("wagtailcore.Page")', 'apps.get_model("basepage.BasePage")'),
        ('model="page", app_label="wagtailcore"', 'model="basepage", app_label="basepage"'),
    )
    replace(
        site / "search" / "views.py",
        ("from wagtail.models import Page", "from basepage.models import BasePage as Page"),
    )
    return settings_text


def replace(path, *pairs):
    text = path.read_text()
    for old, new in pairs:
        assert old in text, f"{path}: {old!r} not found (wagtail start's template changed shape?)"
        text = text.replace(old, new)
    path.write_text(text)


# Run inside the new site (manage.py shell): every endpoint answers, with the content the doc created.
REQUESTS = r"""
import json, sys
from django.test import Client
from wagtail.models import Page
from wagtail.models import Locale
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage

client = Client()
failures = []
def get(url, status=200, contains=None):
    response = client.get(url, follow=False)
    body = response.content.decode(errors="replace")
    ok = response.status_code == status and (contains is None or contains in body)
    wanted = f"  <-- expected {status}" + (f" with {contains!r}" if contains else "")
    print(f"{response.status_code} {url}" + ("" if ok else wanted))
    if not ok:
        failures.append(url)
    return response

default = Locale.get_default()
landing = DelegationIndexPage.objects.get(locale=default)
un = DelegationPage.objects.get(locale=default)
news = NewsPage.objects.get(locale=default)
feed = NewsFeed.objects.get(locale=default)
values = {"id": un.pk, "id_or_slug": feed.slug}
api = "/api/mmm/"
spec = json.loads(get(api + "openapi.json").content)
get(api + "docs", contains="swagger")
ids = {"delegations": un.pk, "news": news.pk, "pages": landing.pk, "feeds": feed.slug}
for path in sorted(spec["paths"]):
    url = path
    if path.endswith("/preview/"):  # needs a token from the admin: without one, a 400 naming it
        get(url, status=400, contains="content_type")
        continue
    for name in re.findall(r"{(\w+)}", path):
        resource = path.split("/")[3]
        url = url.replace("{" + name + "}", str(ids[resource]))
    if url.endswith("/pages/find/"):
        url += "?path=" + news.url
    expected = '"languages"' if url.endswith("/site/") else '"count"'  # site/ is not a listing
    get(url, contains=None if "{" in path or "find" in url or url.endswith("mmm/") else expected)
get(api + "news/?nonsense=1", status=400, contains="nonsense")
for fmt, marker in (("rss", "<rss"), ("atom", "<feed"), ("json", "jsonfeed")):
    get(f"{api}feeds/{feed.slug}/{fmt}/", contains=news.title if fmt != "json" else marker)
    get(f"{api}delegations/{un.pk}/{fmt}/", contains=marker)
for page in (landing, un, news):
    get(page.url, contains=news.title)
get(news.url, contains="UN, Geneva")
get(news.url, contains="MMM spoke in Geneva.")  # no body: the excerpt in its place
# The Site's address (installation.md, step 5) is in every absolute URL.
get(api + "news/", contains=SITE_HOST + "/api/mmm/news/")
get(f"{api}feeds/{feed.slug}/rss/", contains="<link>" + SITE_HOST + "/")
get(news.url, contains='href="/static/mmm_wagtail/mmm_wagtail.css"')
get(news.url, contains="css/mysite.css")  # the site's own base.html
if MULTILINGUAL:  # LocaleMiddleware and i18n_patterns: English items link to English pages
    get(api + "news/?locale=en", contains="/en/delegations/united-nations/right-to-education/")
    # translation.md's translation: the French pages under /fr/, the API in French, labelled so.
    french = NewsPage.objects.get(locale__language_code="fr")
    assert french.url.startswith("/fr/"), french.url
    for page in (DelegationIndexPage.objects.get(locale__language_code="fr"), french):
        get(page.url, contains="Droit à l’éducation")
    response = get(api + "news/?locale=fr", contains="Droit")
    if response["Content-Language"] != "fr":
        failures.append("Content-Language of news/?locale=fr: " + response["Content-Language"])
    get(f"{api}feeds/{feed.slug}/rss/?locale=fr", contains="Actualité des délégations")
print("FAILED: " + ", ".join(failures) if failures else "all endpoints answered")
sys.exit(1 if failures else 0)
"""


def blocks():
    """{marker name: (page, code)} for each fenced block right after a `<!-- fresh-site: NAME -->` marker,
    and the same for `<!-- fresh-site-node: NAME -->` (JavaScript run in Node), in every page of docs/."""
    found, node = {}, {}
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text()
        for kind, name, code in re.findall(MARKED_BLOCK, text, re.S):
            target = node if kind else found
            if name in target:
                sys.exit(f"{page.name}: fresh-site block {name} is also in {target[name][0]}")
            target[name] = (page.name, code)
    return found, node


def check_blocks(found, needed):
    for page, names in needed.items():
        missing = {name for name in names if found.get(name, (None,))[0] != page}
        if missing:
            sys.exit(f"docs/{page}: no fresh-site block for {', '.join(sorted(missing))}")


def run(*args, cwd=None, env=None, show=False):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env)
    if show or result.returncode:
        print(result.stdout[-6000:], result.stderr[-6000:], sep="\n")
    if result.returncode:
        sys.exit(f"failed ({result.returncode}): {' '.join(map(str, args))}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("venv", type=Path)
    parser.add_argument("--multilingual", action="store_true")
    parser.add_argument("--site-app", action="store_true")
    parser.add_argument(
        "--custom-base-page", action="store_true", help="Wagtail 8: the site's own WAGTAIL_PAGE_MODEL"
    )
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--port", type=int, default=8291, help="where the site is served for Node blocks")
    options = parser.parse_args()
    found, node_blocks = blocks()
    check_blocks(found, REQUIRED)
    if options.multilingual:
        check_blocks(found, MULTILINGUAL)
    code = {name: block for name, (_page, block) in found.items()}
    python = options.venv / "bin" / "python"
    work = options.workdir or Path(tempfile.mkdtemp(prefix="mmm-fresh-site-"))

    # Step 1 as written, run in a folder outside the clone, with VENV's pip: the wheel built from this clone.
    bin_path = f"{options.venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    install = code["install"].replace("/path/to/mmm-wagtail", str(ROOT))
    assert "pip" in install and str(ROOT) in install, "the doc's install block no longer builds from a clone"
    for line in install.strip().splitlines():
        run("bash", "-c", f"set -euo pipefail; {line}", cwd=work, env={**os.environ, "PATH": bin_path})
    versions = (
        "import django, wagtail, mmm_wagtail; "
        "print('Django', django.__version__, 'Wagtail', wagtail.__version__, "
        "'mmm-wagtail', mmm_wagtail.__version__)"
    )
    print(run(python, "-c", versions))
    if options.custom_base_page:  # Wagtail 8 made the page model swappable
        run(python, "-c", "import wagtail; assert wagtail.VERSION >= (8,), wagtail.__version__")

    run(options.venv / "bin" / "wagtail", "start", "mysite", cwd=work)
    site = work / "mysite"
    settings = site / "mysite" / "settings" / "base.py"
    urls = site / "mysite" / "urls.py"

    catch_all = 'path("", include(wagtail_urls)),'
    url_text = urls.read_text()
    assert "urlpatterns = [\n" in url_text and catch_all in url_text, "wagtail start's urls.py changed shape"
    # The doc's line goes at the top of urlpatterns, before Wagtail's catch-all.
    include_line = next(line for line in code["urls"].splitlines() if "mmm_wagtail.urls" in line)
    url_text = url_text.replace("urlpatterns = [\n", "urlpatterns = [\n" + include_line + "\n", 1)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"}
    env.pop("DATABASE_URL", None)
    settings_text = settings.read_text()
    if options.custom_base_page:
        settings_text = custom_base_page(python, site, settings, settings_text, env)
    settings_text += "\n# docs/installation.md, required steps\n" + code["settings"]
    if options.multilingual:
        settings_text += "\n# docs/installation.md, multilingual sites\n" + code["multilingual-settings"]
        url_text = url_text.replace(catch_all, "") + "\n" + code["multilingual-urls"]
    if options.site_app:
        run(python, "manage.py", "startapp", "news", cwd=site)
        (site / "news" / "models.py").write_text(SITE_APP_MODELS)
        settings_text += '\nINSTALLED_APPS = ["news", *INSTALLED_APPS]\n'
    settings.write_text(settings_text)
    urls.write_text(url_text)
    marker = "# Wagtail's custom base page" if options.custom_base_page else "# docs/installation.md"
    print(f"site: {site}\n--- settings added ---\n{settings_text[settings_text.index(marker) :]}")

    manage = (python, "manage.py")
    if options.site_app:
        run(*manage, "makemigrations", "news", cwd=site, env=env)
    run(*manage, "check", "--fail-level", "WARNING", cwd=site, env=env, show=True)
    run(*manage, "migrate", "--noinput", "-v", "0", cwd=site, env=env)
    content = code["content"]
    run(*manage, "shell", "-c", code["site"], cwd=site, env=env)
    run(*manage, "shell", "-c", content, cwd=site, env=env)
    if options.multilingual:  # translation.md: the French locale (Settings > Locales), then its translation
        run(*manage, "shell", "-c", code["translation-locale"], cwd=site, env=env)
        run(*manage, "shell", "-c", code["translation-translate"], cwd=site, env=env)
    # page.url carries the /en/ prefix of i18n_patterns on a multilingual site.
    prelude = f"import re\nMULTILINGUAL = {options.multilingual}\nSITE_HOST = {SITE_HOST!r}\n"
    print(run(*manage, "shell", "-c", prelude + REQUESTS, cwd=site, env=env))
    if options.custom_base_page:
        print(run(*manage, "shell", "-c", BASE_PAGE_CHECK, cwd=site, env=env))
    if node_blocks:
        run_node_blocks(node_blocks, manage, site, env, options.port, work)
    else:
        print("no fresh-site-node blocks in docs/")


def run_node_blocks(node_blocks, manage, site, env, port, work):
    """Each Node block against the new site, served by runserver on 127.0.0.1:PORT."""
    server = subprocess.Popen(
        [*map(str, manage), "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=site,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        probe = f"fetch('{origin}/api/mmm/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
        for _attempt in range(60):
            if subprocess.run(["node", "-e", probe]).returncode == 0:
                break
            time.sleep(1)
        else:
            sys.exit(f"runserver did not answer on {origin}")
        node_env = {**os.environ, "MMM_API": f"{origin}/api/mmm/", "MMM_SITE": origin}
        for name, (page, block) in sorted(node_blocks.items()):
            script = work / f"{name}.mjs"
            script.write_text(block)
            print(f"node: {page} {name}")
            print(run("node", script, cwd=work, env=node_env))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
