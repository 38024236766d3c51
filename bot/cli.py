"""The ``helpline`` command line."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Callable

import typer
from rich.console import Console

from bot import __version__
from bot.cli_keys import keys_app
from bot.cli_referrals import agencies_app, people_app, referrals_app, report_app
from bot.cli_people import purge  # also adds people export | erase | hold
from bot import cli_blocks  # noqa: F401  (adds people block | unblock | blocks)
from bot.cli_report import users_app
from bot.cli_rota import mentors_app, rota_app
from bot.cli_triage import app as triage_app
from bot.cli_db import command_session, settings_or_exit
from bot.settings import ConfigError, Settings, load_settings
from storage.sealing import SealError

if TYPE_CHECKING:
    from aiohttp import web

DEMO_DATABASE = "sqlite+aiosqlite:///helpline-demo.db"
DEMO_AGREEMENT = "Demo information sharing agreement (not a real one)"

app = typer.Typer(
    help="Helpline: a 24-hour mentoring helpline bot. Settings come from HELPLINE_* variables "
         "or a .env file; see README.md.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # its tracebacks print every frame's locals: the settings, tokens
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(triage_app, name="triage")
app.add_typer(mentors_app, name="mentors")
app.add_typer(rota_app, name="rota")
app.add_typer(users_app, name="users")
app.add_typer(report_app, name="report")
app.add_typer(agencies_app, name="agencies")
app.add_typer(referrals_app, name="referrals")
app.add_typer(people_app, name="people")
app.add_typer(keys_app, name="keys")
app.command("purge")(purge)
console = Console(highlight=False, soft_wrap=True)


@app.command()
def run() -> None:
    """Run the helpline service: web server, channels that have credentials, outbox worker."""
    from bot.keys import NO_KEYS, has_keys

    settings = settings_or_exit()
    if not has_keys(settings):
        typer.echo(NO_KEYS, err=True)
        raise typer.Exit(2)
    _serve(settings)


@app.command()
def demo() -> None:
    """Try the helpline on this machine: SQLite file, no Redis, no accounts, no real channels."""
    settings = settings_or_exit()
    demo_settings = settings.model_copy(update={
        "database_url": settings.database_url if "database_url" in settings.model_fields_set
        else DEMO_DATABASE,
        "redis_url": None, "telegram_token": None, "twilio_account_sid": None,
        "twilio_auth_token": None, "twilio_number": None, "smtp_host": None,
        "sharing_agreement": settings.sharing_agreement or DEMO_AGREEMENT,
    })
    demo_settings = _with_demo_keys(demo_settings)
    console.print("Demo mode: real channels are off; nothing leaves this machine.")
    from bot.demo import DEMO_USER, SECOND_USER

    try:
        password = asyncio.run(_prepare_demo(demo_settings))
    except SealError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(2) from None
    _serve(demo_settings, simulated=True, extra_lines=lambda base: [
        f"  dashboard {base}/dash   log in as {DEMO_USER} / {password}"
        f"   ({SECOND_USER}, same password, approves referrals {DEMO_USER} drafted)",
        f"  phones    {base}/dash/simulator   (type as a person and as the mentor on call)",
        "Press Ctrl-C to stop."])


def _with_demo_keys(settings: Settings) -> Settings:
    """The demo makes its own keys on first run and keeps them beside its database."""
    from bot.keys import demo_keys, install

    try:
        settings = demo_keys(settings)
    except (OSError, SealError) as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(2) from None
    install(settings)
    return settings


async def _prepare_demo(settings: Settings) -> str:
    """Migrate, seed the sample once, and set a fresh demo password."""
    from bot.demo import ensure_demo
    from escalation.triage.classifier import default_triage
    from storage.types import utcnow

    async with command_session(settings) as session:
        return await ensure_demo(session, default_triage(settings.triage_data), utcnow())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest revision (run and demo do this themselves)."""
    settings = settings_or_exit()

    async def _go() -> str | None:
        from storage.db import create_engine
        from storage.migrate import upgrade

        engine = create_engine(settings.database_url)
        try:
            return await upgrade(engine)
        finally:
            await engine.dispose()

    try:
        revision = asyncio.run(_go())
    except SealError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(2) from None
    console.print(f"database schema at revision {revision}")


def _serve(settings: Settings, simulated: bool = False,
           extra_lines: Callable[[str], list[str]] = lambda base: []) -> None:
    from bot.logs import configure_logging
    from escalation.safety_words import SafetyWordsError, default_words
    from escalation.triage.classifier import default_triage
    from escalation.triage.lexicon import LexiconError

    try:
        default_triage(settings.triage_data)  # a broken lexicon stops start-up here, naming its file and line
        default_words(settings.triage_data)
    except (LexiconError, SafetyWordsError) as error:
        typer.echo(f"helpline: triage lexicon: {error}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level, settings.log_format, settings.secret_values())
    try:
        asyncio.run(_serve_until_stopped(settings, simulated, extra_lines))
    except KeyboardInterrupt:
        pass
    console.print("helpline stopped")


async def _serve_until_stopped(settings: Settings, simulated: bool,
                               extra_lines: Callable[[str], list[str]]) -> None:
    from aiohttp import web

    from bot.server import SHUTDOWN_SECONDS, create_app
    from bot.services import SERVICES
    from bot.stopping import STOPPER

    STOPPER.install(asyncio.get_running_loop())  # from here a stop signal is a graceful stop
    _check_address(settings.http_host, settings.http_port)  # before anything starts, not after
    app = create_app(settings, simulated=simulated)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS)
    try:
        port = await _start_unless_stopped(runner, settings)
    except BaseException:
        await runner.cleanup()
        raise
    if port is not None:
        for line in startup_lines(app[SERVICES], settings.http_host, port) + extra_lines(f"http://{settings.http_host}:{port}"):
            console.print(line)
        await STOPPER.requested.wait()
    console.print("stopping: finishing requests in flight (Ctrl-C again to stop at once)")
    await runner.cleanup()


def _check_address(host: str, port: int) -> None:
    """Fail at once, with nothing started, if the address cannot be listened on."""
    import socket

    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


async def _start_unless_stopped(runner: web.AppRunner, settings: Settings) -> int | None:
    """Start the server, unless a stop is asked for first: then start-up is abandoned (nothing
    has been accepted yet) and None is returned."""
    from aiohttp import web

    from bot.stopping import STOPPER

    async def start() -> int:
        await runner.setup()
        site = web.TCPSite(runner, settings.http_host, settings.http_port)
        await site.start()
        return runner.addresses[0][1] if runner.addresses else settings.http_port

    starting = asyncio.ensure_future(start())
    stop = asyncio.ensure_future(STOPPER.requested.wait())
    await asyncio.wait({starting, stop}, return_when=asyncio.FIRST_COMPLETED)
    if starting.done():
        stop.cancel()
        return starting.result()
    starting.cancel()
    await asyncio.gather(starting, return_exceptions=True)
    return None


def startup_lines(services: object, host: str, port: int) -> list[str]:
    """What ``helpline run`` prints: one line per part, each channel on or off and why."""
    from bot.services import Services
    from storage.db import redact_url

    assert isinstance(services, Services)
    s = services.settings
    lines = [f"Helpline {__version__}",
             f"  database  {redact_url(s.database_url)} (schema {services.schema_revision})"]
    lines.append("  redis     " + (redact_url(s.redis_url) if s.redis_url
                                   else "off: in-process de-duplication (HELPLINE_REDIS_URL not set)"))
    lines += _channel_lines(s, services.simulated)
    lines.append(f"  listening http://{host}:{port}  (health: http://{host}:{port}/healthz)")
    if not services.simulated:
        lines.append(f"  dashboard http://{host}:{port}/dash  (accounts: helpline users add NAME --role coordinator)")
    return lines


def _channel_lines(s: Settings, simulated: bool) -> list[str]:
    if simulated:
        return ["  telegram  simulated: messages go to the phone simulator",
                "  sms       simulated: messages go to the phone simulator",
                "  email     simulated: e-mail is marked sent and goes nowhere"]
    telegram = (f"  telegram  on: {s.telegram_mode}"
                + (f" at {s.public_url}/telegram/webhook" if s.telegram_mode == "webhook" else "")
                if s.telegram_enabled else "  telegram  off: HELPLINE_TELEGRAM_TOKEN is not set")
    sms = (f"  sms       on: webhook {s.public_url}/twilio/sms" if s.twilio_enabled
           else "  sms       off: HELPLINE_TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _NUMBER are not set")
    email = (f"  email     on: {s.smtp_host}:{s.smtp_port} {s.smtp_security}" if s.email_enabled
             else "  email     off: HELPLINE_SMTP_HOST is not set")
    return [telegram, sms, email]


def main() -> None:
    try:
        app()
    except ConfigError as error:  # settings read late by a sub-command
        typer.echo(f"helpline: {error}", err=True)
        sys.exit(2)
    except Exception as error:  # start-up failed: say what to do in one line
        from bot.startup_errors import details, explain

        try:
            settings: Settings | None = load_settings()
        except ConfigError:
            settings = None
        typer.echo(f"helpline: {explain(error, settings)}", err=True)
        more = details(error)
        if more:
            typer.echo(more, err=True)
        sys.exit(2)


if __name__ == "__main__":
    from bot.entry import main as entry

    entry()
