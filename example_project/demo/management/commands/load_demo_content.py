from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the reference content of MMM's delegations section (landing page, 3 "
        "delegations, 7 news items, the combined feed) and its English translation (made "
        "through wagtail-localize; 3 news items translated, the others not). Safe to run "
        "again: pages and translations that already exist are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Also create the demo superuser admin / admin if it does not exist.",
        )
        parser.add_argument(
            "--no-translations",
            action="store_false",
            dest="translations",
            help="Load the French content only, without the English translation.",
        )

        parser.add_argument(
            "--site",
            metavar="HOST:PORT",
            help=(
                "Serve the default Wagtail site at this host and port (e.g. 127.0.0.1:8000), so "
                "the absolute links of the API and the feeds point where the demo runs."
            ),
        )

    def handle(self, *args, admin=False, translations=True, site=None, **options):
        if site:
            self.set_default_site(site)
        DemoLoader(log=self.stdout.write, translations=translations).run()
        if admin:
            User = get_user_model()
            if not User.objects.filter(username="admin").exists():
                User.objects.create_superuser("admin", "admin@example.com", "admin")
                self.stdout.write("Created superuser admin / admin.")

    def set_default_site(self, value):
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--site takes HOST:PORT, e.g. 127.0.0.1:8000; got {value!r}.")
        default = Site.objects.get(is_default_site=True)
        if (default.hostname, default.port) != (host, int(port)):
            default.hostname, default.port = host, int(port)
            default.save()
            self.stdout.write(f"The default site now answers at {host}:{port}.")
