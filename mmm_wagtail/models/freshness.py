"""What the response caches check a cached answer against: one row per dependency tag."""

from django.db import models


class ContentTag(models.Model):
    """The last change to what responses tagged ``tag`` show.

    ``version`` comes from one counter (the row tagged ``COUNTER``), so "did any of these
    tags change since version N" is a single indexed query, and the table lives in the
    database every process shares: a change made in one process is seen by the next
    request of every other one, whatever the cache backend (see ``mmm_wagtail.cache``).

    A row is a dependency tag's version (``cache.dependency_tags``), not a taggit tag: the
    model's name is older than the package's vocabulary (docs/development.md, "Names") and
    stays, as renaming it would need a migration.
    """

    tag = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0, db_index=True)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "content tag"

    def __str__(self):
        return f"{self.tag} @ {self.version}"
