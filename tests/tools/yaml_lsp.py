"""A minimal Language Server Protocol client for yaml-language-server (the server behind VS Code's, Neovim's and
Helix's YAML support): open one YAML file as an editor does and return the diagnostics it publishes and the
completions it offers at a position. Used by tests/data/test_editor_schema.py when the server is installed."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

SETTINGS: dict[str, Any] = {"yaml": {"validate": True, "completion": True, "schemaStore": {"enable": False}}}


def _read(stream: IO[bytes], inbox: queue.Queue[dict[str, Any] | None]) -> None:
    while True:
        headers: dict[str, str] = {}
        while True:
            line = stream.readline()
            if not line:
                inbox.put(None)
                return
            text = line.decode().strip()
            if not text:
                break
            key, _, value = text.partition(":")
            headers[key.lower()] = value.strip()
        inbox.put(json.loads(stream.read(int(headers["content-length"]))))


def _setting(section: str | None) -> Any:
    node: Any = SETTINGS
    for part in (section or "").split(".") if section else []:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def open_file(server: str, path: Path, text: str, complete_at: tuple[int, int] | None = None) -> dict[str, Any]:
    """{"diagnostics": [messages], "completion": [labels] or None} for `text` opened as the file `path`."""
    process = subprocess.Popen(
        [server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read, args=(process.stdout, inbox), daemon=True).start()

    def send(message: dict[str, Any]) -> None:
        assert process.stdin is not None
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        process.stdin.write(f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
        process.stdin.flush()

    uri = path.resolve().as_uri()
    capabilities = {"workspace": {"configuration": True}, "textDocument": {"completion": {}}}
    send(
        {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": capabilities}}
    )
    found: dict[str, Any] = {"diagnostics": None, "completion": None}
    settled = deadline = time.monotonic() + 60
    try:
        while time.monotonic() < min(deadline, settled):
            try:
                message = inbox.get(timeout=0.5)
            except queue.Empty:
                continue
            if message is None:
                break
            if "method" in message and "id" in message:  # a request from the server: answer it
                items = message.get("params", {}).get("items", [])
                asked = message["method"] == "workspace/configuration"
                send({"id": message["id"], "result": [_setting(i.get("section")) for i in items] if asked else None})
            elif message.get("id") == 1:
                send({"method": "initialized", "params": {}})
                send({"method": "workspace/didChangeConfiguration", "params": {"settings": SETTINGS}})
                document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
                send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
                if complete_at:
                    position = {"line": complete_at[0], "character": complete_at[1]}
                    params = {"textDocument": {"uri": uri}, "position": position}
                    send({"id": 2, "method": "textDocument/completion", "params": params})
            elif message.get("id") == 2:
                result = message.get("result") or []
                items = result["items"] if isinstance(result, dict) else result
                found["completion"] = sorted(item["label"] for item in items)
            elif message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                found["diagnostics"] = [diagnostic["message"] for diagnostic in message["params"]["diagnostics"]]
            if found["diagnostics"] is not None and (complete_at is None or found["completion"] is not None):
                settled = min(settled, time.monotonic() + 3)  # diagnostics may be published again once the schema loads
    finally:
        process.kill()
        process.wait()
    return found
