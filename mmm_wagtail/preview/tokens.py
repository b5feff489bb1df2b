"""Preview tokens: signed with the site's SECRET_KEY, stamped with their time of issue.

A token names one ``PreviewState`` and the object it shows (content type and id), so it
cannot be replayed for another object, and stops working ``PREVIEW_TOKEN_MAX_AGE`` seconds
after it was issued (wagtail-headless-preview's tokens never expire).
"""

from django.core import signing

SALT = "mmm_wagtail.preview"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def content_type_label(model):
    """``app_label.modelname``, the form wagtail-headless-preview's ``content_type`` takes."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def issue(state):
    return signing.dumps(
        {"s": state.pk.hex, "t": content_type_label(state.content_type.model_class()), "o": state.object_id},
        salt=SALT,
    )


def read(token, max_age):
    """``{"s": state id, "t": content type label, "o": object id or ""}`` of a valid token."""
    try:
        return signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired() from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid() from exc
