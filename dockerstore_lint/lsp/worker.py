"""One thread that runs the lints, in order, off the event loop that answers the editor.

A lint of a large Compose file takes most of a second; run on the event loop, every request behind
it waited (200 keystrokes held a request for two minutes). The jobs share the session's loader,
so they run one at a time, in the order given. The thread is a daemon: `exit` does not wait for a
lint nobody will read.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any, Callable, TypeVar

_Result = TypeVar("_Result")
# (the loop to answer on, the future to settle, the function and its arguments): jobs return anything
_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


class Worker:
    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(target=self._run, name="dockerstore-lint-worker", daemon=True).start()

    def submit(self, function: Callable[..., _Result], *args: Any) -> asyncio.Future[_Result]:
        """`function(*args)` on the worker's thread; its result or exception comes back on this loop."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, function, args))
        return future

    def _run(self) -> None:
        while True:
            loop, future, function, args = self._jobs.get()
            try:
                outcome = (future.set_result, function(*args))
            except Exception as error:  # noqa: BLE001 - handed to whoever awaits the job
                outcome = (future.set_exception, error)
            try:
                loop.call_soon_threadsafe(_settle, future, *outcome)
            except RuntimeError:  # the loop has ended (the server is exiting)
                return


def _settle(future: asyncio.Future[Any], setter: Callable[[Any], None], value: Any) -> None:
    if not future.cancelled():
        setter(value)
