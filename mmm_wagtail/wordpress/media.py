"""Images and documents of the export, taken from a copy of ``wp-content/uploads``.

A file is read only from inside that folder: a path that is absolute, climbs with ``..`` or
resolves (through a link) outside it is refused and reported. Downloading a file missing
there is optional (``download=True``), over HTTP(S) only, with a timeout and a size limit.
Each image or document made is remembered (``WordPressImport``) and reused on the next run.
"""

import re
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse
from urllib.request import urlopen

from django.core.files.base import File
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

__all__ = ["Media", "MAX_DOWNLOAD_BYTES"]

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_UPLOADS = "/wp-content/uploads/"
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg)$", re.I)


class Media:
    def __init__(self, export, records, report, uploads=None, download=False, timeout=10.0, dry_run=False):
        self.records = records
        self.report = report
        self.uploads = Path(uploads).resolve() if uploads else None
        self.download = download
        self.timeout = timeout
        self.dry_run = dry_run
        self.attachments = {item.wp_id: item for item in export.items if item.post_type == "attachment"}
        self.by_path = {}
        for item in self.attachments.values():
            relative = self.relative(item.meta.get("_wp_attached_file") or item.attachment_url)
            if relative:
                self.by_path[relative] = item
        self.made = {}

    # Where a file is --------------------------------------------------------------------

    @staticmethod
    def relative(url_or_path):
        """The path under the uploads folder that an attachment URL or stored path names."""
        if not url_or_path:
            return ""
        path = unquote(urlparse(url_or_path).path)
        if _UPLOADS in path:
            path = path.split(_UPLOADS, 1)[1]
        elif url_or_path.startswith(("http://", "https://", "/")):
            return ""
        return path.lstrip("/")

    def safe_path(self, relative, wp_id=None):
        """The file for ``relative`` inside the uploads folder, or None (refusals reported)."""
        if self.uploads is None or not relative:
            return None
        parts = PurePosixPath(relative).parts
        if PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
            self.report.warn(wp_id, f"refused a file path outside the uploads folder: {relative}")
            return None
        candidate = (self.uploads / relative).resolve()
        if not candidate.is_relative_to(self.uploads):
            self.report.warn(wp_id, f"refused a file that resolves outside the uploads folder: {relative}")
            return None
        return candidate if candidate.is_file() else None

    def content(self, relative, url, wp_id):
        """``(name, bytes or file path)`` of a file, from the uploads or, if allowed, the URL."""
        path = self.safe_path(relative, wp_id)
        if path is not None:
            return path.name, path
        if self.download and url.startswith(("http://", "https://")):
            try:
                with urlopen(url, timeout=self.timeout) as response:  # noqa: S310  (scheme checked)
                    data = response.read(MAX_DOWNLOAD_BYTES + 1)
            except (OSError, ValueError) as error:
                self.report.warn(wp_id, f"download failed: {url} ({error})")
                return None
            if len(data) > MAX_DOWNLOAD_BYTES:
                self.report.warn(wp_id, f"download refused, larger than {MAX_DOWNLOAD_BYTES} bytes: {url}")
                return None
            return PurePosixPath(urlparse(url).path).name or "download", data
        return None

    # Objects ----------------------------------------------------------------------------

    def _attachment(self, attachment_id, url):
        if attachment_id and attachment_id in self.attachments:
            return self.attachments[attachment_id]
        relative = self.relative(url)
        return self.by_path.get(relative) or self.by_path.get(_SIZE_SUFFIX.sub("", relative))

    def _find(self, model, attachment_id, url, wp_id):
        attachment = self._attachment(attachment_id, url)
        if attachment is not None:
            kind, key = "attachment", str(attachment.wp_id)
            relative = self.relative(attachment.meta.get("_wp_attached_file") or attachment.attachment_url)
            source_url = attachment.attachment_url or url
            title = attachment.title
            alt = attachment.meta.get("_wp_attachment_image_alt", "").strip()
        else:
            relative = (
                _SIZE_SUFFIX.sub("", self.relative(url)) if model is get_image_model() else self.relative(url)
            )
            if not relative:
                return None
            kind, key, source_url, alt = "file", relative, url, ""
            title = PurePosixPath(relative).stem.replace("-", " ")
        if (kind, key) in self.made:
            return self.made[(kind, key)]
        record = self.records.get((kind, key))
        found = None
        if record is not None and record.content_type.model_class() is model:
            obj = model.objects.filter(pk=record.object_id).first()
            if obj is not None:
                found = (obj, alt)
        if found is None:
            found = self._make(model, kind, key, relative, source_url, title, alt, wp_id)
        self.made[(kind, key)] = found
        return found

    def _make(self, model, kind, key, relative, url, title, alt, wp_id):
        content = self.content(relative, url, wp_id)
        if content is None:
            self.report.warn(wp_id, f"file not found in the uploads: {relative or url}")
            return None
        if self.dry_run:
            self.report.file("would import")
            return (None, alt)
        name, data = content
        handle = open(data, "rb") if isinstance(data, Path) else BytesIO(data)  # noqa: SIM115
        with handle:
            if model is get_image_model():
                obj = model(title=title[:255] or name, file=ImageFile(handle, name=name))
                if alt and hasattr(obj, "description"):  # Wagtail 6.3+: the image's alt text
                    obj.description = alt[:255]
            else:
                obj = model(title=title[:255] or name, file=File(handle, name=name))
            obj.save()
        self.records.remember(kind, key, obj)
        self.report.file("imported")
        return (obj, alt)

    def image(self, attachment_id=None, url="", wp_id=None):
        """``(image, alt)`` for an attachment id or an image URL, or None."""
        return self._find(get_image_model(), attachment_id, url, wp_id)

    def document(self, url, wp_id=None):
        if _IMAGE.search(urlparse(url).path):
            return None
        if not (_UPLOADS in url or self._attachment(None, url)):
            return None
        found = self._find(get_document_model(), None, url, wp_id)
        return found[0] if found else None
