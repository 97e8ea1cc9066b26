"""The stand-ins of the booking's precompiled queries (see core.precompiled)."""

from core.precompiled import Precompiled, stand_in_datetime, stand_in_id

RUN, PARTICIPANT, COURSE, LEAVING_RUN = (stand_in_id(n) for n in range(1, 5))
STARTS, ENDS = stand_in_datetime(1), stand_in_datetime(2)

__all__ = ["COURSE", "ENDS", "LEAVING_RUN", "PARTICIPANT", "RUN", "STARTS", "Precompiled"]
