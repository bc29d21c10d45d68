"""gunicorn settings for `pregon serve` (`--config python:pregon.core.gunicorn_config`;
loaded by gunicorn's master before Django, so it imports nothing of Pregón's).

A web worker whose memory grew past `PREGON_WEB_MAX_RSS_MB` (140 by default; 0: never)
is replaced once the request it is answering is done: a worker's heap only grows (a
ten-year public calendar, a page of 50 rows with their figures, a login's 19 MiB
hash), and the workers are forked from the preloaded master, so a replacement starts
in milliseconds. `--max-requests` bounds the rest.
"""

import os

LIMIT_MB = int(os.environ.get("PREGON_WEB_MAX_RSS_MB", "140"))
# A worker answers this many requests first (a fresh one must not be replaced at once).
FIRST_REQUESTS = 20


def resident_mb() -> float:
    """This process's resident memory (RSS), in MiB; 0 where /proc is missing."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def post_request(worker, req, environ, resp) -> None:
    if LIMIT_MB and worker.nr >= FIRST_REQUESTS and resident_mb() > LIMIT_MB:
        worker.log.info("Worker over %s MB: replaced after this request.", LIMIT_MB)
        worker.alive = False
