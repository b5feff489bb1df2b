"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for news feeds and delegations."""
