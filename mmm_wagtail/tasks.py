"""Django's task framework, as Wagtail uses it: the ``django-tasks`` backport (which
follows ``django.tasks`` on Django 6). Without a ``TASKS`` setting its immediate backend
runs a task at once; a site can configure a database or queue backend instead."""

try:
    from django_tasks import task
except ImportError:  # pragma: no cover - a Django with django.tasks and no backport
    from django.tasks import task

__all__ = ["task"]
