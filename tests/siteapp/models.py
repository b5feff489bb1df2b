# A site's own NewsPage and DelegationPage beside the package's. .ci/fresh_site.py --site-app writes this
# file into a new `wagtail start` site as its app "news": keep it self-contained.

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.models import Page


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("siteapp.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(Page):
    date = models.DateField(null=True, blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)


class DelegationPage(Page):
    organisation = models.CharField(max_length=255, blank=True)
