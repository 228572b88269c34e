"""Run the import's reading and analysis in a child process bounded in processor time and memory.

The size and count limits (:mod:`congkhai.limits`) refuse what they can see before any work; this
is the backstop for what they cannot (a parser's own blow-up, a pathological text): the child gets
``RLIMIT_CPU`` and ``RLIMIT_AS`` from the declared limits and the parent a wall-clock bound, and a
child that goes over any of them is a :class:`~congkhai.importer.sources.LimitError`, never a
traceback. The child is forked, so the work and its arguments need not be picklable; its result
is. Where there is no ``fork`` or no :mod:`resource` (Windows), the work runs in this process with
the size and count limits only.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import Any, TypeVar, cast

from ..model.limits import IMPORT_CPU_SECONDS, IMPORT_MEMORY_BYTES
from .sources import LimitError

T = TypeVar("T")

#: the wall clock allowed, as a multiple of the processor time (a busy machine is slower)
WALL_FACTOR = 2.5
#: seconds between the soft processor limit (SIGXCPU, a clean refusal) and the hard one (SIGKILL)
HARD_GRACE = 5

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


class _OutOfTime(BaseException):
    """Raised in the child by SIGXCPU; a BaseException so that no ``except Exception`` swallows it."""


def available() -> bool:
    return resource is not None and "fork" in multiprocessing.get_all_start_methods()


def run_bounded(name: str, work: Callable[[], T]) -> T:
    """``work()`` in a bounded child process; its result, its exception, or a LimitError for ``name``."""
    if not available():
        return work()
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, work), daemon=True)
    child.start()
    send.close()
    message: tuple[str, Any] | None = None
    try:
        if receive.poll(IMPORT_CPU_SECONDS.value * WALL_FACTOR):
            try:
                message = receive.recv()
            except (EOFError, OSError):
                message = None  # the child died without a word: killed by a limit (below)
        else:
            message = ("time", None)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if message is None:
        message = _death(child.exitcode)
    kind, payload = message
    if kind == "ok":
        return cast(T, payload)
    if kind == "time":
        raise LimitError(IMPORT_CPU_SECONDS, name)
    if kind == "memory":
        raise LimitError(IMPORT_MEMORY_BYTES, name)
    assert isinstance(payload, BaseException)
    raise payload


def _death(exitcode: int | None) -> tuple[str, Any]:
    """What stopped a child that sent nothing: the processor limit kills with SIGXCPU, then SIGKILL;
    under the memory limit C code that cannot allocate aborts, and a stack that cannot grow faults."""
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return ("time", None)
    if exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return ("memory", None)
    return ("error", RuntimeError(f"the import's child process ended with exit code {exitcode}"))


def _child(send: Any, work: Callable[[], Any]) -> None:
    """In the child: limit ourselves, do the work, send back ("ok", result) or what stopped it."""
    try:
        _limit_self()
        message: tuple[str, Any] = ("ok", work())
    except _OutOfTime:
        message = ("time", None)
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:  # a refusal (SourceError, LimitError) or a bug: raised again in the parent
        message = ("error", exc)
    try:
        send.send(message)
    except MemoryError:
        send.send(("memory", None))
    except Exception as exc:  # an unpicklable exception or result: say what it was
        send.send(("error", RuntimeError(f"{type(exc).__name__} in the import's child process")))
    finally:
        send.close()


def _limit_self() -> None:
    assert resource is not None
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    cpu = IMPORT_CPU_SECONDS.value  # a forked child's processor time starts from zero
    _set(resource.RLIMIT_CPU, cpu, cpu + HARD_GRACE)
    _set(resource.RLIMIT_CORE, 0, 0)  # a killed child leaves no core file
    size = _address_space()
    if size is not None:
        budget = size + IMPORT_MEMORY_BYTES.value
        _set(resource.RLIMIT_AS, budget, budget)


def _on_sigxcpu(_signum: int, _frame: Any) -> None:
    raise _OutOfTime


def _set(which: int, soft: int, hard: int) -> None:
    """Lower a limit, never above what the system already allows (a process may not raise it)."""
    assert resource is not None
    _old_soft, old_hard = resource.getrlimit(which)
    if old_hard != resource.RLIM_INFINITY:
        hard = min(hard, old_hard)
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):  # not allowed here: the other limits still apply
        resource.setrlimit(which, (soft, hard))


def _address_space() -> int | None:
    """This process's current address space in bytes (Linux), the base the memory budget adds to."""
    try:
        with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
