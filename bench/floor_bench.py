"""The calling floor under a supervisor's heavy commands: agents' claim waits and throughput.

    python bench/floor_bench.py [--leads 1000000] [--agents 8] [--phase 20] [--pause 0.1]
                                [--import-rows 1000000] [--export-leads 100000]
                                [--command-limit S] [--backup-limit S] [--workdir DIR]
                                [--smoke] [--time-limit S] [--db postgresql://…/EMPTY_DATABASE]

Builds (or reuses) a SQLite database: the 1M leads of bench/claim_bench.py plus 100k leads
ready for handoff (bench/export_bench.py's builder: approved qualifications, 30 % with a
meeting), and a 1M-row call-list CSV (bench/import_bench.py's generator). Every phase works
on a fresh copy of that database.

Then --agents agent processes work the queue as desks do: claim the next lead
(`claim_next_lead`), record an outcome (`record_disposition`: no answer, busy, voicemail,
wrong number, not a fit), pause --pause seconds, again. A claim's wait is timed from asking
for it to having it, lock waits included; a claim that fails (database locked) counts with
the time it took. Their clock is fixed (a Wednesday, 12:00 Moscow, moving on with the run)
and the calling window open all week, so the day and hour of the run do not matter. Phases:
  quiet   agents alone, --phase seconds;
  import  agents while `tmdesk import` loads the CSV (the phase lasts until it is done);
  backup  agents while `tmdesk db backup` runs, one backup after another, --phase seconds;
  export  agents while `tmdesk export --all` hands off the ready leads, one after another;
a command still running when --phase is over is waited for (agents still working), up to
--backup-limit (a backup) or --command-limit (import, export). Before the phases, the import
and a backup run alone, without agents: the baselines of their speed. Import, backup and
export are the CLI in their own processes (`python -m tmdesk --db … --config …`),
so the benchmark measures whatever they do inside; agents and commands take the database as
--db.

--db postgresql://…/DB: the same phases on PostgreSQL, agents and commands over TCP. The
builder stays SQLite's: its database is copied once into DB (which must hold no desk yet;
it keeps the desk after, as claim_bench's) by `copy_desk` (`tmdesk db copy`), and each phase
works on a fresh copy of DB, DB_phase (CREATE DATABASE … TEMPLATE), dropped at the end, on
Ctrl-C and at the time limit. The backup is `pg_dump -Fc` (`tmdesk db backup`); without
pg_dump installed, the backup runs are left out and the report says so.

Prints, per phase, claims/s (and × the quiet phase), the claim wait's p50, p99 and max, the
failed claims, and whether each command completed; the import's rows/s beside its speed alone.
Targets: p99 <= 100 ms and max <= 1 s in every phase; busy-phase throughput >= 0.7x quiet; the
backup completes; the import keeps >= 0.8x its speed alone. Prints figures; asserts nothing.
--smoke: 20k leads, 2k ready, a 20k-row CSV, 2 s phases (seconds, for CI). The whole run stops
after --time-limit, its agents and commands with it.

An agent process is this file run as `floor_bench.py agent --db DB --login LOGIN …`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_common import (  # noqa: E402
    NOW,
    add_common_arguments,
    on_stop,
    open_all_week,
    result,
    spawn,
    stop,
    stop_children,
    time_limit,
    write_config,
)
from bench_schema import current_schema, schema_of  # noqa: E402

SUPERVISOR = "olga"  # export_bench's builder adds her
OUTCOMES = (("no_answer", 50), ("busy", 15), ("voicemail", 15), ("wrong_number", 10))
OUTCOMES += (("not_fit", 10),)
P99_TARGET_MS, MAX_TARGET_MS = 100.0, 1000.0
THROUGHPUT_TARGET, IMPORT_TARGET = 0.7, 0.8
SINCE = "2026-11-01"  # export --all --since: every ready lead (qualified 2026-11-20)


# --- the agent process ---------------------------------------------------------------------


def agent(args: argparse.Namespace) -> None:
    """Claim, record an outcome, pause; until the parent writes a line (or the alarm)."""
    signal.alarm(int(args.limit))  # never outlives a lost parent by long
    from tmdesk.services.calls import claim_next_lead, record_disposition
    from tmdesk.services.users import find_user
    from tmdesk.services.workspace import open_workspace

    settings = open_all_week()
    open_workspace(args.db, settings=settings)
    agent_id = find_user(args.login).id
    rng = random.Random(args.login)
    names, weights = zip(*OUTCOMES, strict=True)
    print("ready", flush=True)
    sys.stdin.readline()  # "go"
    waits, failed, empty, errors = [], 0, 0, set()
    started = time.perf_counter()
    while not select.select([sys.stdin], [], [], 0)[0]:
        now = NOW + timedelta(seconds=time.perf_counter() - started)
        asked = time.perf_counter()
        try:
            claim = claim_next_lead(agent_id, settings, now=now)
        except Exception as error:  # database locked: the desk shows it, the agent retries
            # (on PostgreSQL none should fail: a claim skips the leads others hold locked)
            waits.append(time.perf_counter() - asked)
            failed += 1
            errors.add(f"claim: {error}")
            continue
        waits.append(time.perf_counter() - asked)
        if claim is None:
            empty += 1
        else:
            outcome = rng.choices(names, weights)[0]
            try:
                record_disposition(claim.lead_id, agent_id, outcome, settings, now=now)
            except Exception as error:
                failed += 1
                errors.add(f"outcome: {error}")
        select.select([sys.stdin], [], [], args.pause)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "waits": waits,
                "failed": failed,
                "empty": empty,
                "seconds": seconds,
                "errors": sorted(errors)[:3],
            }
        ),
        flush=True,
    )


# --- the floor ------------------------------------------------------------------------------


@dataclass
class Job:
    """A CLI command run again and again during a phase (or once, for the import)."""

    name: str
    argv: list[str]
    repeat: bool
    limit: float  # seconds one run may take
    before: Callable[[], None] | None = None  # before each run (a backup's target removed)
    runs: list[tuple[int, float, str]] = field(default_factory=list)  # (exit, seconds, output)

    def completed(self) -> int:
        return sum(1 for code, _s, _o in self.runs if code == 0)


@dataclass
class Phase:
    name: str
    claims: int
    seconds: float
    waits_ms: list[float]
    failed: int
    empty: int
    job: Job | None
    errors: set[str] = field(default_factory=set)

    @property
    def rate(self) -> float:
        return self.claims / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.waits_ms:
            return float("nan")
        ordered = sorted(self.waits_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Floor:
    def __init__(self, args: argparse.Namespace, pristine: Path, config: Path, postgres=None):
        self.args, self.pristine, self.config = args, pristine, config
        self.work = args.workdir / "floor.db"
        self.postgres = postgres  # bench_postgres.PhaseDatabases, with --db

    def fresh_copy(self) -> str:
        if self.postgres is not None:
            return self.postgres.fresh()
        for stale in self.work.parent.glob(self.work.name + "*"):
            stale.unlink()
        shutil.copyfile(self.pristine, self.work)
        return str(self.work)

    def cli(self, db: str, *argv: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "tmdesk",
            "--db",
            db,
            "--config",
            str(self.config),
            "--user",
            SUPERVISOR,
            *argv,
        ]

    def run_job(self, job: Job) -> subprocess.Popen:
        if job.before:
            job.before()
        # to a file, not a pipe: an import's --json report (an error per rejected row) is
        # larger than a pipe holds, and the import would wait for a reader until killed
        with self.output(job).open("w") as output:
            return spawn(job.argv, stdout=output, stderr=subprocess.STDOUT)

    def output(self, job: Job) -> Path:
        return self.args.workdir / f"{job.name}.out"

    def finished(self, job: Job, process: subprocess.Popen, seconds: float) -> None:
        stop(process)
        output = self.output(job).read_text(encoding="utf-8", errors="replace")
        job.runs.append((process.returncode, seconds, output))

    def phase(self, name: str, db: str, job: Job | None) -> Phase:
        args = self.args
        agents = [
            spawn(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "agent",
                    "--db",
                    db,
                    "--login",
                    f"agent{n:02d}",
                    "--pause",
                    str(args.pause),
                    "--limit",
                    str(args.time_limit),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(args.agents)
        ]
        for process in agents:
            if process.stdout.readline().strip() != "ready":
                raise SystemExit(f"an agent of phase {name} did not start")
        for process in agents:
            process.stdin.write("go\n")
            process.stdin.flush()
        started = time.perf_counter()
        running, job_started = None, 0.0
        while True:
            elapsed = time.perf_counter() - started
            if running is not None and running.poll() is not None:
                self.finished(job, running, time.perf_counter() - job_started)
                running = None
            if running is None and job is not None and elapsed < args.phase:
                if job.repeat or not job.runs:
                    running, job_started = self.run_job(job), time.perf_counter()
            if elapsed >= args.phase and running is None:
                break
            if running is not None and time.perf_counter() - job_started > job.limit:
                stop(running)
                job.runs.append((-1, time.perf_counter() - job_started, "over its time limit"))
                running = None
            time.sleep(0.02)
        for process in agents:
            process.stdin.write("stop\n")
            process.stdin.flush()
        waits, failed, empty, seconds, claims, errors = [], 0, 0, [], 0, set()
        for process in agents:
            out, _err = process.communicate(timeout=60)
            figures = json.loads(out.strip().splitlines()[-1])
            waits += [w * 1000 for w in figures["waits"]]
            failed += figures["failed"]
            empty += figures["empty"]
            claims += len(figures["waits"]) - figures["failed"] - figures["empty"]
            seconds.append(figures["seconds"])
            errors.update(figures["errors"])
            stop(process)
        return Phase(name, claims, max(seconds), waits, failed, empty, job, errors)

    def alone(self, job: Job) -> None:
        """One run of the command without agents: its speed to compare with."""
        started = time.perf_counter()
        process = self.run_job(job)
        try:
            process.wait(timeout=job.limit)
        except subprocess.TimeoutExpired:
            stop(process)
            job.runs.append((-1, time.perf_counter() - started, "over its time limit"))
            return
        self.finished(job, process, time.perf_counter() - started)


def import_rows(job: Job) -> float | None:
    """rows/s of the job's completed import, from its --json report."""
    for code, seconds, output in job.runs:
        if code == 0:
            try:
                report = json.loads(output[output.index("{") :])
            except ValueError:
                return None
            return report["rows"] / seconds
    return None


# --- building -------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[Path, Path]:
    """The pristine database (leads + ready leads) and the call-list CSV, built or reused."""
    import claim_bench
    import import_bench

    args.workdir.mkdir(parents=True, exist_ok=True)
    pristine = args.workdir / f"floor-{args.leads}-{args.export_leads}.db"
    if not (pristine.exists() and schema_of(pristine) == current_schema(args.workdir)):
        claim_bench.build(pristine, args.leads)
        started = time.perf_counter()
        from export_bench import build as add_ready_leads

        from tmdesk.services.workspace import open_workspace
        from tmdesk.store.models import database

        open_workspace(pristine)
        add_ready_leads(args.export_leads, 0.3)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()
        print(f"added {args.export_leads:,} ready leads in {time.perf_counter() - started:.1f} s")
    else:
        print(f"reusing {pristine} ({pristine.stat().st_size / 2**20:.0f} MiB)")
    csv_path = args.workdir / f"calls-{args.import_rows}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        partial = csv_path.with_suffix(".part")
        import_bench.generate(partial, args.import_rows)
        partial.rename(csv_path)
        print(f"generated {csv_path.name} in {time.perf_counter() - started:.1f} s")
    return pristine, csv_path


# --- the report -----------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_report(phases: list[Phase], alone: Job, backend: str, no_backup: str = "") -> None:
    """The table and verdicts; `backend` labels them ("SQLite", "PostgreSQL"); `no_backup`
    says why there was no backup phase, when there was none."""
    quiet = phases[0]
    print(f"\nfloor on {backend}:")
    print(
        f"{'phase':<8} {'secs':>5} {'claims/s':>9} {'x quiet':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'claims':>7} {'failed':>7} {'none':>5}  command"
    )
    for p in phases:
        job = ""
        if p.job is not None:
            done = p.job.completed()
            job = f"{p.job.name}: {done} of {len(p.job.runs)} completed"
            if p.job.runs:
                job += f" ({', '.join(f'{s:.1f}' for _c, s, _o in p.job.runs[:6])} s)"
        share = p.rate / quiet.rate if quiet.rate else 0.0
        print(
            f"{p.name:<8} {p.seconds:>5.0f} {p.rate:>9.1f} {share:>8.2f} "
            f"{p.percentile(0.5):>8.1f} {p.percentile(0.99):>8.1f} {max(p.waits_ms or [0]):>8.1f} "
            f"{p.claims:>7} {p.failed:>7} {p.empty:>5}  {job}"
        )
    for p in phases:
        for error in sorted(p.errors):
            print(f"  {p.name} agents: {error[:200]}")
        for code, _s, output in p.job.runs if p.job else []:
            if code != 0:
                last = (output.strip().splitlines() or ["(no output)"])[-1]
                print(f"  {p.name} command exited {code}: {last[:200]}")

    print(f"\ntargets: p99 <= {P99_TARGET_MS:.0f} ms, max <= {MAX_TARGET_MS:.0f} ms per phase;")
    print(f"         busy phases >= {THROUGHPUT_TARGET}x the quiet phase's claims/s")
    verdicts = []
    for p in phases:
        p99, worst = p.percentile(0.99), max(p.waits_ms or [float("inf")])
        ok = p99 <= P99_TARGET_MS and worst <= MAX_TARGET_MS and p.failed == 0
        if p is not quiet:
            ok = ok and quiet.rate > 0 and p.rate >= THROUGHPUT_TARGET * quiet.rate
        verdicts.append(ok)
        print(f"  {p.name:<8} p99 {p99:.1f} ms, max {worst:.1f} ms, failed {p.failed}: {mark(ok)}")
    by_name = {p.name: p for p in phases}
    if "backup" in by_name:
        backup = by_name["backup"].job
        backup_ok = backup.completed() > 0 and backup.completed() == len(backup.runs)
        verdicts.append(backup_ok)
        print(
            f"  backup: {backup.completed()} of {len(backup.runs)} completed under load: "
            f"{mark(backup_ok)}"
        )
    else:
        verdicts.append(False)
        print(f"  backup: not run ({no_backup}): NOT met")
    alone_rate, loaded_rate = import_rows(alone), import_rows(by_name["import"].job)
    import_ok = bool(alone_rate and loaded_rate and loaded_rate >= IMPORT_TARGET * alone_rate)
    verdicts.append(import_ok)
    ratio = loaded_rate / alone_rate if alone_rate and loaded_rate else 0.0
    print(
        f"  import: {fmt_rate(loaded_rate)} under load, {fmt_rate(alone_rate)} alone: "
        f"{ratio:.2f}x (target >= {IMPORT_TARGET}x): {mark(import_ok)}"
    )
    busy = phases[1:]
    result(
        "floor" if backend == "SQLite" else f"floor {backend.lower()}",
        f"worst p99 {max(p.percentile(0.99) for p in phases):.1f} ms, worst max "
        f"{max(max(p.waits_ms or [0]) for p in phases):.1f} ms, busy claims/s "
        f"{min(p.rate for p in busy):.1f}, import {fmt_rate(loaded_rate)}",
        f"quiet {quiet.rate:.1f} claims/s, import alone {fmt_rate(alone_rate)}",
        f"targets {mark(all(verdicts))}",
    )


def fmt_rate(rate: float | None) -> str:
    return f"{rate:,.0f} rows/s" if rate else "not completed"


def main() -> None:
    if sys.argv[1:2] == ["agent"]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--db", required=True)
        parser.add_argument("--login", required=True)
        parser.add_argument("--pause", type=float, required=True)
        parser.add_argument("--limit", type=float, required=True)
        agent(parser.parse_args(sys.argv[2:]))
        return

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--phase", type=float, default=20, help="seconds of each phase")
    parser.add_argument("--pause", type=float, default=0.1, help="an agent's pause after a call")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--export-leads", type=int, default=100_000)
    parser.add_argument(
        "--command-limit", type=float, default=900, help="seconds an import or export may take"
    )
    parser.add_argument("--backup-limit", type=float, default=120, help="seconds a backup may take")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tmdesk-floor-bench"
    )
    parser.add_argument(
        "--db",
        help="run the phases on PostgreSQL: a URL naming an empty database (the template of "
        "the phases' copies; see above)",
    )
    add_common_arguments(parser, limit=2400)
    args = parser.parse_args()
    if args.smoke:
        args.leads, args.export_leads, args.import_rows = 20_000, 2_000, 20_000
        args.phase = min(args.phase, 2)
        args.backup_limit = min(args.backup_limit, 30)
        args.command_limit = min(args.command_limit, 60)
        args.time_limit = min(args.time_limit, 180)
    postgres = None
    if args.db:
        from bench_postgres import PhaseDatabases

        postgres = PhaseDatabases(args.db)
        on_stop(postgres.drop)
    time_limit(args.time_limit)
    try:
        run(args, postgres)
    finally:
        stop_children()  # the phase's database is dropped once nothing uses it
        if postgres is not None:
            postgres.drop()


def run(args: argparse.Namespace, postgres=None) -> None:
    pristine, csv_path = prepare(args)
    config = write_config(args.workdir)
    floor = Floor(args, pristine, config, postgres)
    backend, engine = "SQLite", f"SQLite {sqlite3.sqlite_version}"
    if postgres is not None:
        backend = "PostgreSQL"
        engine = f"PostgreSQL {postgres.load(pristine)} over TCP ({postgres.name}_phase)"
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {engine}; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(
        f"{args.leads:,} leads + {args.export_leads:,} ready; {args.agents} agents pausing "
        f"{args.pause:.2f} s after each call; {args.phase:.0f} s phases; import of "
        f"{args.import_rows:,} rows"
    )

    def import_job(db: str) -> Job:
        argv = floor.cli(db, "import", str(csv_path), "--list", "floor", "--json")
        argv += ["--rejects", str(args.workdir / "rejects.csv"), "--force"]
        return Job("import", argv, repeat=False, limit=args.command_limit)

    db = floor.fresh_copy()
    alone = import_job(db)
    floor.alone(alone)
    print(f"import alone: {fmt_rate(import_rows(alone))} ({alone.runs[0][1]:.1f} s)")
    target = args.workdir / ("backup.dump" if postgres else "backup.db")
    # `tmdesk db backup` on PostgreSQL runs pg_dump: without it, no backup to measure
    no_backup = "pg_dump is not installed here" if postgres and not shutil.which("pg_dump") else ""
    if no_backup:
        print(f"backup: {no_backup}; the backup runs are left out")
    else:
        db = floor.fresh_copy()
        backup = Job(
            "backup",
            floor.cli(db, "db", "backup", str(target)),
            repeat=True,
            limit=args.backup_limit,
            before=lambda: target.unlink(missing_ok=True),
        )
        floor.alone(backup)
        code, seconds, output = backup.runs.pop()
        print(f"backup alone: {'completed' if code == 0 else 'FAILED'} in {seconds:.1f} s")
        if code != 0:
            print(f"  {(output.strip().splitlines() or ['(no output)'])[-1][:200]}")

    phases = [floor.phase("quiet", floor.fresh_copy(), None)]
    db = floor.fresh_copy()
    phases.append(floor.phase("import", db, import_job(db)))
    if not no_backup:
        db = floor.fresh_copy()
        backup.argv = floor.cli(db, "db", "backup", str(target))
        phases.append(floor.phase("backup", db, backup))
    db = floor.fresh_copy()
    out = args.workdir / "handoff"
    out.mkdir(exist_ok=True)
    export = Job(
        "export",
        floor.cli(db, "export", "--all", "--since", SINCE, "--out", str(out), "--json"),
        repeat=True,
        limit=args.command_limit,
        before=lambda: [old.unlink() for old in out.glob("handoff-*")],
    )
    phases.append(floor.phase("export", db, export))
    print_report(phases, alone, backend, no_backup)
    target.unlink(missing_ok=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # a missed target is a figure; an instrument that measured nothing is broken (CI fails)
    if phases[0].claims == 0 or not import_rows(alone):
        sys.exit("floor_bench: the quiet phase served no claim or the import alone failed")


if __name__ == "__main__":
    main()
