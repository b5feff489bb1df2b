"""Attempt the webhook deliveries whose retry time has come, and those whose attempt died with its
process (a stale claim, or a task that never ran). Run it from cron every minute: with the immediate
backend it makes every retry (never made in a request); with a queue it is the reaper."""

from django.core.management.base import BaseCommand

from mmm_wagtail.webhooks.delivery import retry_due


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_due()} webhook deliveries attempted.")
