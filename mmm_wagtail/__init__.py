"""Make Mothers Matter's delegations, their news and combined feeds for Wagtail."""

__version__ = "0.1.0.dev0"
