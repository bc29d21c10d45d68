"""`pregon check --deploy` is clean with production settings, and warns when the
encryption key for stored secrets is not set apart from SECRET_KEY."""

import os
import subprocess
import sys


def check_deploy(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pregon", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false",
        "PREGON_HTTPS": "true",
        "SECRET_KEY": "k" * 20 + "-production-like-secret-key-with-enough-entropy-8c1f",
        "ALLOWED_HOSTS": "comunicacion.chapultepec.gob.mx",
        "PREGON_PUBLIC_URL": "https://comunicacion.chapultepec.gob.mx",
        "PREGON_VAR_DIR": str(tmp_path),
        "PREGON_ENCRYPTION_KEY": "e" * 20 + "-separate-encryption-key-for-stored-secrets",
    }


def test_check_deploy_clean_in_production(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_a_separate_encryption_key(tmp_path):
    env = production_env(tmp_path)
    del env["PREGON_ENCRYPTION_KEY"]
    result = check_deploy(env)
    assert result.returncode != 0
    assert "pregon.W001" in result.stderr + result.stdout
    assert "PREGON_ENCRYPTION_KEY no está definida aparte de SECRET_KEY" in result.stderr
