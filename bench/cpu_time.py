"""CPU seconds spent by the parts of a load test, read from /proc (Linux): the web server (a process
and all its descendants), PostgreSQL (every process named postgres: the backends, WAL writer and
checkpointer alike) and the load client (this process, all its threads). On a machine whose cores
are all busy, what a benchmark can still win is in these figures, not in its wall time."""

import os
import time
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(name, parent pid, CPU seconds) of a process, or None once it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # After the name: state, ppid, ..., utime and stime are fields 14 and 15 of the whole line.
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _processes() -> dict[int, tuple[str, int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                found[int(entry.name)] = stat
    return found


def snapshot(server_pids: list[int]) -> dict[str, float]:
    """CPU seconds so far of the servers started as `server_pids` (with their workers), of each
    PostgreSQL process and of this process. Empty where /proc is not there."""
    if not Path("/proc/self/stat").exists():
        return {}
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (_name, parent, _cpu) in processes.items():
        children.setdefault(parent, []).append(pid)
    totals = {}
    for index, root in enumerate(server_pids):
        tree, total = [root], 0.0
        while tree:
            pid = tree.pop()
            total += processes[pid][2] if pid in processes else 0.0
            tree.extend(children.get(pid, ()))
        totals[f"server{index}"] = total
    # Per process: a backend that exits between two snapshots takes its CPU time with it.
    totals["postgres"] = {
        pid: cpu for pid, (name, _p, cpu) in processes.items() if name == "postgres"
    }
    totals["client"] = time.process_time()
    return totals


def _postgres(before: dict, after: dict) -> float:
    """CPU seconds of the PostgreSQL processes alive at `after` since `before` (a new one from
    its start; one that exited meanwhile is not counted)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def per_item(before: dict, after: dict, items: int, server: int = 0) -> str:
    """'server 4.1, postgres 1.2, client 2.0 ms CPU per booking' between two snapshots."""
    if not before or not after or items < 1:
        return "CPU split not measured (no /proc)"
    parts = [
        ("server", after[f"server{server}"] - before[f"server{server}"]),
        ("postgres", _postgres(before["postgres"], after["postgres"])),
        ("client", after["client"] - before["client"]),
    ]
    return ", ".join(f"{name} {seconds / items * 1000:.1f}" for name, seconds in parts) + " ms CPU"
