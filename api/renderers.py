"""A list page whose rows were rendered before (and cached): the envelope is rendered around
them, byte for byte what JSONRenderer gives for the whole page."""

import json

from rest_framework.renderers import JSONRenderer

from core.conditional import digest_etag


class RenderedRows(bytes):
    """The `results` of a page, already rendered by JSONRenderer. `etag_source`: what the page's
    ETag digests instead of these bytes (see ChamberViewMixin.finalize_response)."""

    etag_source: bytes | None = None

    def etag(self, *tail: bytes) -> str:
        """digest_etag of the rows (or their etag_source) and `tail`, remembered with the rows:
        a cached page is served many times, and its digest costs more than the rest."""
        etags = self.__dict__.setdefault("_etags", {})
        if tail not in etags:
            source = self if self.etag_source is None else self.etag_source
            etags[tail] = digest_etag(source, *tail)
        return etags[tail]


class PageJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, RenderedRows):
            return super().render(data, accepted_media_type, renderer_context)
        # `results` comes last in the envelope, so its compact rendering ends with `[]}`.
        envelope = super().render({**data, "results": []}, accepted_media_type, renderer_context)
        if envelope.endswith(b"[]}"):
            return envelope[:-3] + rows + b"}"
        # Indented on request: render it all again.
        rows = json.loads(rows)
        return super().render({**data, "results": rows}, accepted_media_type, renderer_context)
