"""VMs a load balancer routes to boot with a placeholder answering on the serving port (as a Cloud Run service
boots Google's sample image), so the backend is healthy and the entry point answers from the first apply;
before, they booted plain Debian with nothing listening and stayed unhealthy."""
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from archplan.generate.terraform.compute_engine import placeholder_script
from tests.conftest import ROOT
from tests.generate.conftest import generate


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def program(script: str) -> str:
    return re.search(r"<<'PLACEHOLDER'\n(.*?)\nPLACEHOLDER\n", script, re.S).group(1)


def serve(tmp_path, script: str, port: int, scheme: str, context=None) -> tuple[int, bytes]:
    code = program(script).replace("/opt/archplan/", f"{tmp_path}/")
    (tmp_path / "placeholder.py").write_text(code)
    server = subprocess.Popen([sys.executable, str(tmp_path / "placeholder.py")])
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/healthz", timeout=2,
                                            context=context) as answer:
                    return answer.status, answer.read()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)


def test_the_script_is_valid_bash_and_installs_the_service_once():
    script = placeholder_script(80, "HTTP")
    subprocess.run(["bash", "-n"], input=script, text=True, check=True)
    assert script.index("[ -e /etc/systemd/system/archplan-placeholder.service ] && exit 0") < \
        script.index("systemctl daemon-reload && systemctl enable --now archplan-placeholder")
    assert "AmbientCapabilities=CAP_NET_BIND_SERVICE" in script and "DynamicUser=yes" in script


def test_the_placeholder_answers_200_on_its_port(tmp_path):
    port = free_port()
    status, body = serve(tmp_path, placeholder_script(port, "HTTP"), port, "http")
    assert status == 200 and body == f"archplan placeholder: deploy your application on port {port}\n".encode()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_an_https_backend_gets_tls_with_a_self_signed_certificate(tmp_path):
    port = free_port()
    script = placeholder_script(port, "HTTPS")
    openssl = re.search(r"^openssl req .*?(?= &&)", script, re.M).group(0).replace("/opt/archplan/", f"{tmp_path}/")
    subprocess.run(openssl.split(), check=True, capture_output=True)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # as the load balancer does
    status, _ = serve(tmp_path, script, port, "https", context)
    assert status == 200


def test_only_load_balancer_backends_get_it_with_their_port(tmp_path):
    code, _, err = generate(ROOT / "tests/fixtures/vms/shop.yaml", tmp_path / "out")
    assert code == 0, err
    compute = (tmp_path / "out" / "terraform" / "compute.tf").read_text()
    blocks = re.findall(r'resource "google_compute_instance" "(\w+)" \{(.*?)\n\}\n', compute, re.S)
    with_script = {name for name, body in blocks if '"startup-script"' in body}
    groups = set(re.findall(r'resource "google_compute_instance_group" "(\w+?)_[abc]"', compute))
    assert with_script == groups and with_script
    readme = (tmp_path / "out" / "README.md").read_text()
    for name in with_script:
        assert "systemctl disable --now archplan-placeholder" in readme
