"""Explicit output and input serializers, one module per resource: the wire format is a contract,
not a mirror of models. Class names are the OpenAPI component names, which generated clients
use: renaming one is a breaking change for chambers."""
