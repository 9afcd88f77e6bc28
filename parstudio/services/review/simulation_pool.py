"""What-if replays side by side: lines are replayed in chunks as their usage is read, in worker
processes (one per core) when there are enough lines to be worth starting them for.

The replay of a chunk is pure (domain/simulation_parts.py over plain records), so it runs in a
worker as it would here, and the parts are put back together into the same figures whatever
order they finish in. Workers are started with "spawn" (never "fork": the app has Qt and
database connections open), at the start of the work, so their start-up overlaps the reading;
they end with it. A failure in a worker is raised here as the same error; a cancel (the
progress callback raising) drops the chunks not started and waits for the running ones.
"""

from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from types import TracebackType
from uuid import uuid4

from parstudio.domain.progress import Progress
from parstudio.domain.simulation import Levels, SimSetting
from parstudio.domain.simulation_compare import SimulationInput
from parstudio.domain.simulation_engine import Answers
from parstudio.domain.simulation_parts import Part, replay_part, warm_up
from parstudio.domain.simulation_series import DailySeries

PARALLEL_FROM = 1000
"""Fewer lines than this are replayed in this process: starting a worker process (a Python
interpreter importing the replay) costs more than it saves on a few hundred lines."""


Chunk = tuple[list[SimSetting], dict[int, Levels], dict[int, Levels], dict[int, DailySeries | None]]
"""A chunk of lines to replay: their terms, current and proposed levels, and usage."""
_ANSWERS: dict[str, Answers] = {}
"""In a worker: the engine's answers of the replay it is working for (only that one)."""


def replay_chunk(
    run: str,
    settings: list[SimSetting],
    current: dict[int, Levels],
    proposed: dict[int, Levels],
    series: dict[int, DailySeries | None],
) -> Part:
    """``replay_part`` in a worker process, the engine's answers shared by the chunks of one
    replay (``run``), and forgotten when the next starts."""
    if run not in _ANSWERS:
        _ANSWERS.clear()
        _ANSWERS[run] = {}
    return replay_part(settings, current, proposed, series, answers=_ANSWERS[run])


WORKERS_VARIABLE = "PARSTUDIO_REPLAY_WORKERS"
"""Set to a number, the worker processes every replay uses (0: none, in this process)."""


def workers_for(lines: int) -> int:
    """Worker processes for a replay of ``lines`` lines (0: replay in this process): one per
    core for a large replay (this process replays too, once it has read the usage), unless
    PARSTUDIO_REPLAY_WORKERS says how many."""
    given = os.environ.get(WORKERS_VARIABLE, "").strip()
    if given.isdigit():
        return int(given)
    cores = os.cpu_count() or 1
    return cores if cores > 1 and lines >= PARALLEL_FROM else 0


class ReplayPool:
    """Replays chunks of a comparison's lines (current and proposed levels) as they are read,
    and tells progress as lines read + lines replayed, out of twice the lines."""

    def __init__(
        self, data: SimulationInput, progress: Progress | None, *, workers: int | None = None
    ) -> None:
        self._data = data
        self._by_id = {setting.setting_id: setting for setting in data.settings}
        self._progress = progress
        self._total = len(data.settings)
        self._read = self._replayed = 0
        self._parts: list[Part] = []
        self._pending: set[Future[Part]] = set()
        self._chunks: dict[Future[Part], Chunk] = {}
        self._run = uuid4().hex
        self._answers: Answers = {}
        count = workers_for(self._total) if workers is None else workers
        self._executor: ProcessPoolExecutor | None = None
        if count:
            self._executor = ProcessPoolExecutor(max_workers=count, mp_context=get_context("spawn"))
            # Starts the workers now, while this process reads the usage.
            self._executor.submit(warm_up)

    def __enter__(self) -> ReplayPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

    def reading(self, done: int, _total: int) -> None:
        """Progress of the reading (lines read so far)."""
        self._read = done
        self._collect(block=False)
        self._tell()

    def submit(self, series: dict[int, DailySeries | None]) -> None:
        """Replay a chunk of lines, whose usage has just been read."""
        if not series:
            return
        settings = [self._by_id[setting_id] for setting_id in series]
        current = {i: self._data.current[i] for i in series if i in self._data.current}
        proposed = {i: self._data.proposed[i] for i in series if i in self._data.proposed}
        chunk: Chunk = (settings, current, proposed, series)
        if self._executor is None:
            self._replay_here(chunk)
            return
        future = self._executor.submit(replay_chunk, self._run, *chunk)
        self._pending.add(future)
        self._chunks[future] = chunk
        self._collect(block=False)

    def parts(self) -> list[Part]:
        """Every chunk's replay, once all have finished (in the order they finished). This
        process, done reading, replays the chunks no worker has started (the last first)."""
        while self._pending:
            # The last chunk no worker has started, taken back (cancelled) and replayed here.
            taken = next((f for f in reversed(list(self._chunks)) if f.cancel()), None)
            if taken is None:
                self._collect(block=True)
                continue
            self._pending.discard(taken)
            self._replay_here(self._chunks.pop(taken))
            self._collect(block=False)
        return self._parts

    def _replay_here(self, chunk: Chunk) -> None:
        self._done(replay_part(*chunk, answers=self._answers))

    def _collect(self, *, block: bool) -> None:
        if not self._pending:
            return
        finished, self._pending = wait(
            self._pending, timeout=None if block else 0, return_when=FIRST_COMPLETED
        )
        for future in finished:
            self._chunks.pop(future, None)
            self._done(future.result())

    def _done(self, part: Part) -> None:
        self._parts.append(part)
        self._replayed += part.lines
        self._tell()

    def _tell(self) -> None:
        if self._progress is not None:
            self._progress(self._read + self._replayed, 2 * self._total)
