"""CI "fresh site" job: docs/installation.md applied to a new `wagtail start` site, as a new user would.

    python .ci/fresh_site.py VENV [--multilingual] [--site-app] [--workdir DIR]

VENV is a virtualenv with the built wheel (and the Django to test) installed. The code blocks are read from
docs/installation.md itself (the ones after a `<!-- fresh-site: NAME -->` marker), so the doc and this test
cannot drift. Then: migrate, check, the doc's content block, and every API endpoint of the OpenAPI document,
the API docs, each feed and the HTML pages, requested through Django's test client. `--site-app` first adds a
site app with its own NewsPage and DelegationPage (with tags), whose names the package's must not clash with.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "installation.md"

# The site app beside the package (--site-app): the test suite's own (tests/siteapp), in an app named "news".
SITE_APP_MODELS = (
    (Path(__file__).resolve().parent.parent / "tests" / "siteapp" / "models.py")
    .read_text()
    .replace('"siteapp.NewsPage"', '"news.NewsPage"')
)

# Run inside the new site (manage.py shell): every endpoint answers, with the content the doc created.
REQUESTS = r"""
import json, sys
from django.test import Client
from wagtail.models import Page
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

landing = DelegationIndexPage.objects.get()
un = DelegationPage.objects.get()
news = NewsPage.objects.get()
feed = NewsFeed.objects.get()
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
get(news.url, contains='href="/static/mmm_wagtail/mmm_wagtail.css"')
get(news.url, contains="css/mysite.css")  # the site's own base.html
if MULTILINGUAL:  # LocaleMiddleware and i18n_patterns: English items link to English pages
    get(api + "news/?locale=en", contains="/en/delegations/united-nations/right-to-education/")
print("FAILED: " + ", ".join(failures) if failures else "all endpoints answered")
sys.exit(1 if failures else 0)
"""


def blocks(doc):
    """{marker name: code} for each fenced block right after a `<!-- fresh-site: NAME -->` marker."""
    found = dict(re.findall(r"<!-- fresh-site: ([\w-]+) -->\n```\w*\n(.*?)```", doc, re.S))
    needed = {"install", "settings", "urls", "content", "multilingual-settings", "multilingual-urls"}
    missing = needed - set(found)
    if missing:
        sys.exit(f"{DOC}: no fresh-site block for {', '.join(sorted(missing))}")
    return found


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
    parser.add_argument("--workdir", type=Path)
    options = parser.parse_args()
    code = blocks(DOC.read_text())
    python = options.venv / "bin" / "python"
    assert code["install"].split() == ["pip", "install", "mmm-wagtail"], "the doc's install line changed"
    versions = "import django, wagtail; print('Django', django.__version__, 'Wagtail', wagtail.__version__)"
    print(run(python, "-c", versions))

    work = options.workdir or Path(tempfile.mkdtemp(prefix="mmm-fresh-site-"))
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
    settings_text = settings.read_text() + "\n# docs/installation.md, required steps\n" + code["settings"]
    if options.multilingual:
        settings_text += "\n# docs/installation.md, multilingual sites\n" + code["multilingual-settings"]
        url_text = url_text.replace(catch_all, "") + "\n" + code["multilingual-urls"]
    if options.site_app:
        run(python, "manage.py", "startapp", "news", cwd=site)
        (site / "news" / "models.py").write_text(SITE_APP_MODELS)
        settings_text += '\nINSTALLED_APPS = ["news", *INSTALLED_APPS]\n'
    settings.write_text(settings_text)
    urls.write_text(url_text)
    print(f"site: {site}\n--- settings added ---\n{settings_text.split('# docs/installation.md', 1)[1]}")

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"}
    env.pop("DATABASE_URL", None)
    manage = (python, "manage.py")
    if options.site_app:
        run(*manage, "makemigrations", "news", cwd=site, env=env)
    run(*manage, "check", "--fail-level", "WARNING", cwd=site, env=env, show=True)
    run(*manage, "migrate", "--noinput", "-v", "0", cwd=site, env=env)
    content = code["content"]
    if options.multilingual:
        # The admin's Settings > Locales, as the doc says.
        locale = "from wagtail.models import Locale\nLocale.objects.get_or_create(language_code='fr')\n"
        content = locale + content
    run(*manage, "shell", "-c", content, cwd=site, env=env)
    # page.url carries the /en/ prefix of i18n_patterns on a multilingual site.
    prelude = f"import re\nMULTILINGUAL = {options.multilingual}\n"
    print(run(*manage, "shell", "-c", prelude + REQUESTS, cwd=site, env=env))


if __name__ == "__main__":
    main()
