"""The live-reload channel of `strategy serve`: server-sent events to every open page (`reload` with the
paths a good rebuild changed, `errors` with a failed one's diagnostics)."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

from ..plan.diagnostics import Diagnostics
from ..plan.messages import render


class Hub:
    """Server-sent events to every open page."""

    def __init__(self) -> None:
        self._clients: set[queue.Queue[bytes | None]] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue[bytes | None]:
        inbox: queue.Queue[bytes | None] = queue.Queue()
        with self._lock:
            self._clients.add(inbox)
        return inbox

    def unsubscribe(self, inbox: queue.Queue[bytes | None]) -> None:
        with self._lock:
            self._clients.discard(inbox)

    def publish(self, event: str, data: Any, event_id: str) -> None:
        message = sse(event, data, event_id)
        with self._lock:
            for inbox in self._clients:
                inbox.put(message)

    def close(self) -> None:
        with self._lock:
            for inbox in self._clients:
                inbox.put(None)
            self._clients.clear()

    def count(self) -> int:
        with self._lock:
            return len(self._clients)


def sse(event: str, data: Any, event_id: str) -> bytes:
    """One server-sent event; the id is the build token, which the browser sends back on reconnecting."""
    return f"id: {event_id}\nevent: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def errors_payload(diagnostics: Diagnostics) -> dict[str, Any]:
    """What the overlay shows: the errors (file, line, column, message, hint) and how many warnings, and its
    own words, all in the plan's language."""
    language = diagnostics.speaks()
    errors = [d for d in diagnostics.sorted() if d.severity == "error"]
    return {"errors": len(errors), "warnings": len(diagnostics.warnings),
            "diagnostics": [d.as_json(language) for d in errors],
            "words": {key: render(language, f"serve.overlay.{key}", count=len(errors))
                      for key in ("heading", "hint", "close", "label")}}
