"""A page type of the host site with its own URLs (it overrides ``get_url_parts``, as Wagtail
documents for custom routing): links to it must carry Wagtail's answer, not a copy's. It subclasses
the site's page model (``WAGTAIL_PAGE_MODEL`` on Wagtail 8, tests/basepage), as a site's own types do."""

from mmm_wagtail.basepage import Page


class RoutedPage(Page):
    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return parts
        site_id, root_url, _ = parts
        return site_id, root_url, f"/routed/{self.pk}/"
