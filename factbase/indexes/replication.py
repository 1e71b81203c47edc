"""How far a PostgreSQL standby is behind its primary: the one statement the read-replica
router (factbase/replicas.py) and the readiness probe (factbase/health.py) ask a replica.
It lives here, behind the index boundary, with the other raw SQL."""

from __future__ import annotations

import dataclasses

# `caught_up`: everything the standby has received is replayed. `lag`: seconds since the
# primary committed the last transaction the standby replayed. On an idle primary that keeps
# growing while nothing is missing, so the lag only counts while something waits for replay.
STANDBY_STATE = (
    "SELECT pg_is_in_recovery(),"
    " pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
)


@dataclasses.dataclass(frozen=True)
class StandbyState:
    in_recovery: bool
    caught_up: bool
    # Seconds behind, 0 when caught up; None when it has not replayed a transaction yet.
    lag: float | None


def standby_state(connection) -> StandbyState:
    """Ask a replica how far behind it is, on a Django connection or a driver's raw one. A
    server that is not a standby is its own source: caught up, no lag."""
    cursor = connection.cursor()
    try:
        cursor.execute(STANDBY_STATE)
        in_recovery, caught_up, since_replay = cursor.fetchone()
    finally:
        cursor.close()
    if not in_recovery:
        return StandbyState(in_recovery=False, caught_up=True, lag=0.0)
    if caught_up:
        return StandbyState(in_recovery=True, caught_up=True, lag=0.0)
    return StandbyState(
        in_recovery=True, caught_up=False, lag=None if since_replay is None else max(0.0, float(since_replay))
    )
