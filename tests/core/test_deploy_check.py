"""`pregon check --deploy` is clean with production settings."""

import os
import subprocess
import sys


def test_check_deploy_clean_in_production(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "PREGON_HTTPS": "true",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-key-with-enough-entropy-8c1f",
        "ALLOWED_HOSTS": "comunicacion.chapultepec.gob.mx",
        "PREGON_PUBLIC_URL": "https://comunicacion.chapultepec.gob.mx",
        "PREGON_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pregon", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
