"""Serving the dashboard with uvicorn: the socket is bound first, so the printed URL has the real port."""

from __future__ import annotations

import ipaddress
import secrets
import socket
from collections.abc import Callable

import uvicorn

from grader.classroom.dashboard.app import create_app
from grader.classroom.dashboard.pages import Site


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    return sock


def serve(site: Site, host: str, port: int, say: Callable[[str], object]) -> None:
    loopback = is_loopback(host)
    token = None if loopback else secrets.token_urlsafe(24)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    say(f"Dashboard: {url}")
    if token:
        say("Anyone with this URL (its token) can read the grades; Ctrl-C stops the server.")
    config = uvicorn.Config(create_app(site, token, loopback), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
