"""Checkers we did not write, on the vendored standards (tests/vendor/README.md): the 1EdTech
JSON Schema with format checking (jsonschema), JSON-LD expansion with the official contexts
(pyld), and JWS verification with joserfc (a JOSE library other than the PyJWT that signs)."""

import copy
import json
from pathlib import Path

import jsonschema
from joserfc import jwt
from joserfc.jwk import KeySet, import_key
from pyld import jsonld

VENDOR = Path(__file__).resolve().parent.parent / "vendor"
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": VENDOR / "w3c" / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        VENDOR / "openbadges" / "context-3.0.3.json"
    ),
}
# Appended after the official contexts: a term they do not define expands under this prefix
# instead of vanishing, so a dropped term becomes visible.
DROPPED = "urn:dropped-term:"


def schema_errors(document: dict, schema_name: str) -> list[str]:
    schema = json.loads((VENDOR / "openbadges" / schema_name).read_text())
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def _loader(url, options=None):
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(f"no vendored context for {url}", "loading document failed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXTS[url].read_text()),
    }


def expand(document: dict) -> list:
    return jsonld.expand(copy.deepcopy(document), {"documentLoader": _loader})


def dropped_terms(document: dict) -> list[str]:
    """Terms and types of `document` its contexts do not define (JSON-LD would drop them)."""
    probe = copy.deepcopy(document)
    probe["@context"] = [*probe["@context"], {"@vocab": DROPPED}]
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(DROPPED):
                    found.add(key.removeprefix(DROPPED))
                if key == "@type":
                    found.update(t.removeprefix(DROPPED) for t in value if t.startswith(DROPPED))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(jsonld.expand(probe, {"documentLoader": _loader}))
    return sorted(found)


def verify_jwt(token: str, jwks: dict, algorithms=("RS256",)) -> tuple[dict, dict]:
    """The header and claims of `token` if its signature verifies with the key of `jwks` that its
    header's kid names."""
    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=list(algorithms))
    return dict(decoded.header), dict(decoded.claims)


def verify_jwt_with_key(token: str, jwk: dict, algorithms=("RS256",)) -> dict:
    """The claims of `token` if its signature verifies with this one key."""
    return dict(jwt.decode(token, import_key(jwk), algorithms=list(algorithms)).claims)
