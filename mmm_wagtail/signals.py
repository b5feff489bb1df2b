"""Signal receivers of the package (connected in ``apps.MMMWagtailConfig.ready``)."""
