"""Start the test OpenID Connect provider (serve.py) in its own process and stop it again; used by
the HTTP tests of tests/signin and the browser tests of tests/e2e."""

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[3]


@contextlib.contextmanager
def running_provider(
    *, users: list[dict], client_id: str, client_secret: str, redirect_uri: str, workdir: Path
):
    """Yields the provider's base URL and its request log while it serves `users` (each with its
    password) and one client whose only callback is `redirect_uri`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    setup = {
        "users": users,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
    }
    log = workdir / "requests.log"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        OIDC_PROVIDER_DB=str(workdir / "idp.sqlite3"),
        OIDC_PROVIDER_KEY=key.decode(),
        OIDC_PROVIDER_SETUP=json.dumps(setup),
        PYTHONUNBUFFERED="1",
    )
    log_handle = log.open("w")
    process = subprocess.Popen(  # noqa: S603 - our own test provider module
        [sys.executable, "-m", "tests.signin.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log_handle,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.match(r"PORT (\d+)", line or "")
        if not match:
            process.wait(timeout=5)
            raise RuntimeError(f"the test OIDC provider did not start (exit {process.returncode})")
        url = f"http://127.0.0.1:{match.group(1)}"
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = f"{url}/o/.well-known/openid-configuration"
                if requests.get(discovery, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield SimpleNamespace(url=url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log_handle.close()
