"""``modconsole demo-server``: run the demo community on loopback and print how to talk to it."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from modconsole.errors import InvalidInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--platform", choices=("discourse", "vanilla"), default="discourse", help="which API the demo speaks"
    )
    parser.add_argument("--size", choices=("tiny", "small", "large"), default="small", help="community size")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--db", metavar="PATH", help="the community's SQLite file (generated when missing)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed when the file is generated")
    parser.add_argument("--live", action="store_true", help="keep producing activity")
    parser.add_argument("--events-per-minute", type=float, default=30.0, help="live mode rate")
    parser.add_argument(
        "--limits",
        choices=("off", "on", "discourse", "vanilla"),
        default="off",
        help="the platform's rate limits (on = the chosen platform's)",
    )
    parser.add_argument(
        "--data-explorer",
        choices=("on", "off"),
        default="off",
        help="the Data Explorer plugin (off by default, like Discourse)",
    )
    parser.add_argument(
        "--moderators-view-emails",
        choices=("on", "off"),
        default=None,
        help="the site setting letting moderators see e-mails (default: as the community was generated, on)",
    )
    parser.add_argument(
        "--user-notes",
        choices=("on", "off"),
        default="off",
        help="the User Notes plugin (off by default, like Discourse)",
    )
    parser.add_argument(
        "--data-explorer-limit",
        choices=("warn", "block"),
        default="warn",
        help="API query runs over 2 per 10 s: only logged (warn, Discourse's default) or answered 429",
    )
    parser.add_argument("--clock-speed", type=float, default=1.0, help="rate-limit windows pass N× faster")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="inject a fault, e.g. 'status:GET:/latest.json:p=0.2:status=502' (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    if args.limits not in ("off", "on", args.platform):
        raise InvalidInput(f"--limits {args.limits} does not fit --platform {args.platform}")
    if args.platform == "vanilla":
        return _run_vanilla(args)
    from modconsole.demo.server import DemoServer, FaultRule, RateLimitConfig, ensure_db
    from modconsole.paths import Paths

    try:
        faults = [FaultRule.parse(spec) for spec in args.fault]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"bad --fault: {exc}") from None
    if args.clock_speed <= 0:
        raise InvalidInput("--clock-speed must be positive")
    db = Path(args.db) if args.db else Paths.default().demo_dir / f"{args.size}.sqlite3"
    if not db.exists():
        print(f"Generating the {args.size} community in {db} …", flush=True)
    ensure_db(db, size=args.size, seed=args.seed)
    limits = RateLimitConfig.discourse_defaults() if args.limits != "off" else RateLimitConfig.off()
    server = DemoServer(
        db, host=args.host, port=args.port, limits=limits, clock_speed=args.clock_speed, seed=args.seed
    )
    for f in faults:
        server.add_fault(f)
    server.set_setting("data_explorer_enabled", args.data_explorer == "on")
    server.set_setting("user_notes_enabled", args.user_notes == "on")
    if args.moderators_view_emails is not None:
        server.set_setting("moderators_view_emails", args.moderators_view_emails == "on")
    server.data_explorer.configure(limit_mode=args.data_explorer_limit)
    server.start()
    try:
        print(f"Demo community at {server.base_url}  (data: {db})")
        for ident in (
            server.credentials.admin,
            server.credentials.moderator,
            server.credentials.moderator2,
            server.credentials.member,
        ):
            hdrs = "  ".join(f"{k}: {v}" for k, v in ident.headers().items())
            print(f"  {ident.role:<10} {ident.username:<20} {hdrs}")
        print(
            f"Rate limits: {args.limits} (clock ×{args.clock_speed}); faults: {len(faults)}; "
            f"control: {server.base_url}/_demo/… with the admin Api-Key"
        )
        print(f"Data Explorer: {args.data_explorer} (run limit: {args.data_explorer_limit})")
        if args.live:
            server.start_live(args.events_per_minute, seed=args.seed)
            print(f"Live mode: ~{args.events_per_minute:g} events/minute")
        print("Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _run_vanilla(args: argparse.Namespace) -> int:
    """The Vanilla demo (``modconsole.demo.vanilla``): one line per identity with its Bearer token."""
    from modconsole.demo.vanilla.server import VanillaDemoServer, VanillaFaultRule, VanillaLimits, ensure_db
    from modconsole.paths import Paths

    try:
        faults = [VanillaFaultRule.parse(spec) for spec in args.fault]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"bad --fault: {exc}") from None
    if args.clock_speed <= 0:
        raise InvalidInput("--clock-speed must be positive")
    db = Path(args.db) if args.db else Paths.default().demo_dir / f"{args.size}-vanilla.sqlite3"
    if not db.exists():
        print(f"Generating the {args.size} community in {db} …", flush=True)
    ensure_db(db, size=args.size, seed=args.seed)
    limits = VanillaLimits.vanilla_defaults() if args.limits != "off" else VanillaLimits.off()
    server = VanillaDemoServer(
        db, host=args.host, port=args.port, limits=limits, clock_speed=args.clock_speed, seed=args.seed
    )
    for f in faults:
        server.add_fault(f)
    server.start()
    try:
        print(f"Vanilla demo community at {server.api_url}  (data: {db})")
        for ident in server.credentials.printed():
            print(f"  {ident.role:<10} {ident.username:<20} Authorization: Bearer {ident.token}")
        print(
            f"Rate limits: {args.limits} (clock ×{args.clock_speed}); faults: {len(faults)}; "
            f"control: {server.base_url}/_demo/… with the admin token"
        )
        if args.live:
            server.start_live(args.events_per_minute, seed=args.seed)
            print(f"Live mode: ~{args.events_per_minute:g} events/minute")
        print("Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
