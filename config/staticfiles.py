"""Static files storage for production: WhiteNoise's compressed, hashed files, minus one rule.

Vendored bundles (Chart.js, ...) end with `//# sourceMappingURL=x.map` while the .map files are not
shipped (they are for debugging the library, not for users). Django's manifest storage treats that
comment as a reference and aborts collectstatic when the map is missing, so the Docker build and the
production smoke would fail. Source-map comments are left as they are; every other reference
(url(), @import in CSS) is still checked and rewritten to the hashed name."""

import logging

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


def _without_source_maps(patterns):
    def keep(pattern) -> bool:
        regex = pattern[0] if isinstance(pattern, tuple) else pattern
        return "sourceMappingURL" not in regex

    return tuple((glob, tuple(p for p in rules if keep(p))) for glob, rules in patterns)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
    manifest_strict = False

    def url(self, name, force=False):
        """A file missing from the collected files is linked by its plain name, with a log line,
        instead of failing the page: otherwise the error pages, which use the layout, would
        themselves end in a bare 500."""
        try:
            return super().url(name, force)
        except ValueError:
            logger.warning("static file %s is not collected (run collectstatic)", name)
            return FileSystemStorage.url(self, name)
