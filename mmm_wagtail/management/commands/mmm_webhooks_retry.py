"""Attempt the webhook deliveries whose retry time has come (run it from cron when the
task backend cannot defer tasks, e.g. Django's default immediate backend)."""

from django.core.management.base import BaseCommand

from mmm_wagtail.webhooks.delivery import retry_due


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_due()} webhook deliveries attempted.")
