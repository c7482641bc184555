import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_passes_with_production_variables(tmp_path):
    env = {
        **os.environ,
        "METODIST_DEBUG": "false",
        "METODIST_SECRET_KEY": "k" * 30 + "Zq8#pL2@vN5!xR7$tW1^yU4&iO6*aS3(dF9)gH0",
        "METODIST_ALLOWED_HOSTS": "metodist.example.kz",
        "METODIST_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "METODIST_DEBUG": "false", "METODIST_VAR_DIR": str(tmp_path)}
    env.pop("METODIST_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "METODIST_SECRET_KEY" in result.stderr
