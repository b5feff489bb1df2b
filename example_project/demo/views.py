"""``/``: the delegations' landing page in the reader's language (the demo has no home page of its own)."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from wagtail.models import Locale

from mmm_wagtail.models import DelegationIndexPage


def home(request):
    # LocaleMiddleware has picked the reader's language (Accept-Language, else LANGUAGE_CODE).
    pages = DelegationIndexPage.objects.live().public()
    landing = (
        pages.filter(locale__language_code=translation.get_language()).first()
        or pages.filter(locale=Locale.get_default()).first()
    )
    if landing is None:
        raise Http404("No delegations landing page yet: run manage.py load_demo_content.")
    return redirect(landing.url)
