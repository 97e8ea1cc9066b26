"""The chamber API, one module per resource: thin viewsets over api.selectors (reads, narrowed to
the key's chamber) and the same services the web UI calls. api/urls.py registers them."""
