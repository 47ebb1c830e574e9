"""nginx from deploy/nginx.conf and gunicorn as `make run` starts it, for a while.

Used by `make bench` (bench/run.py) and tests/test_nginx.py: everything nginx
writes (pid, logs, cache, temporary files) stays under the folder given.
"""

import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
# The template's own placeholders; nginx's variables ($host...) have no braces.
PLACEHOLDER = re.compile(r"\$\{(NGINX_[A-Z_]+)\}")
MIME_TYPES = Path("/etc/nginx/mime.types")


def placeholders(text):
    return set(PLACEHOLDER.findall(text))


def render(text, values):
    """Fills the ${NGINX_...} placeholders as envsubst would, and only them."""
    missing = placeholders(text) - set(values)
    if missing:
        raise KeyError(f"No value for {', '.join(sorted(missing))}")
    return PLACEHOLDER.sub(lambda match: str(values[match[1]]), text)


def main_config(prefix, servers):
    """An nginx.conf of its own around `servers` (what Debian's nginx.conf gives)."""
    temporary = prefix / "tmp"
    lines = [
        "daemon off;",
        "worker_processes auto;",
        f"pid {prefix / 'nginx.pid'};",
        f"error_log {prefix / 'error.log'} warn;",
    ]
    if os.geteuid() == 0:
        # The workers would otherwise run as nobody, who cannot read the
        # temporary folders of the user running the tests or the bench.
        lines.append(f"user {pwd.getpwuid(os.geteuid()).pw_name};")
    lines += [
        "events { worker_connections 4096; }",
        "http {",
        f"    include {MIME_TYPES};" if MIME_TYPES.is_file() else "",
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    tcp_nopush on;",
        "    access_log off;",
    ]
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        lines.append(f"    {kind}_temp_path {temporary / kind};")
    lines += [servers, "}", ""]
    return "\n".join(lines)


def front_values(port, upstream_port, data, cache):
    """The template's values for nginx on `port` in front of gunicorn on
    `upstream_port`, serving the static files and uploads of `data`."""
    return {
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "NGINX_SERVER_NAME": "127.0.0.1 localhost",
        "NGINX_UPSTREAM": f"127.0.0.1:{upstream_port}",
        "NGINX_DATA_DIR": data,
        "NGINX_ADMIN_PATH": os.environ.get("DJANGO_ADMIN_PATH", "admin").strip("/"),
        "NGINX_CACHE_DIR": cache,
    }


def write_nginx(prefix, values, extra_servers=""):
    """Renders deploy/nginx.conf with `values` in `prefix`; returns the main config."""
    prefix = Path(prefix)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    site = prefix / "site.conf"
    site.write_text(render(TEMPLATE.read_text(), values))
    config = prefix / "nginx.conf"
    config.write_text(main_config(prefix, f"    include {site};\n{extra_servers}"))
    return config


def nginx_command(config, *arguments):
    prefix = config.parent
    return [
        "nginx",
        "-p",
        f"{prefix}/",
        "-c",
        str(config),
        "-e",
        str(prefix / "error.log"),
        *arguments,
    ]


def check_config(config):
    """`nginx -t` on the rendered configuration."""
    return subprocess.run(
        nginx_command(config, "-t"), capture_output=True, text=True, check=False
    )


def start_nginx(config):
    # In a session of its own, like gunicorn below: Ctrl+C in the terminal
    # reaches the caller only, which stops them in order (servers.stop).
    return subprocess.Popen(
        nginx_command(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_gunicorn(port, log, **environment):
    """gunicorn -c gunicorn.conf.py as `make run` starts it (DEBUG off) on `port`."""
    env = {**os.environ, "PORT": str(port), "DJANGO_DEBUG": "0", **environment}
    env.pop("GUNICORN_BIND", None)
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=30):
    """Waits until something accepts connections on `port`; False if `process` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def stop(process, timeout=15):
    """Stops a process started here: gracefully, then for good."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def missing_commands(*names):
    return [name for name in names if shutil.which(name) is None]


def cpu_seconds(pid):
    """CPU time of a process and of its children, living and ended (Linux /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The fields after the command's name, which may hold spaces.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if entry.name == str(pid) or fields[1] == str(pid):
            # utime, stime, and those of the ended children it waited for.
            total += sum(int(value) for value in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_idle(processes, timeout=30, interval=0.5):
    """Waits until `processes` (gunicorn: master and workers) stop using the CPU.

    The port answers before the workers have loaded Django: measuring then
    would count their start-up.
    """
    deadline = time.monotonic() + timeout
    before = sum(cpu_seconds(process.pid) for process in processes)
    while time.monotonic() < deadline:
        time.sleep(interval)
        after = sum(cpu_seconds(process.pid) for process in processes)
        if after - before < 0.05 * interval:
            return True
        before = after
    return False
