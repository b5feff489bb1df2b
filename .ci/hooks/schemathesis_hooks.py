"""schemathesis hooks for ``.ci/schemathesis.py`` (loaded through ``SCHEMATHESIS_HOOKS``).

A ``cursor`` is minted by the server (signed, bound to its listing's other parameters): no
value generated from the document's pattern is one, and the API answers a made-up cursor with
a 400 naming it (tests/api/test_cursors.py). So a case that must be accepted (positive) goes
without one; a negative case keeps its cursor and must be rejected.
"""

import schemathesis


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive and case.query:
        case.query.pop("cursor", None)
