"""The generation run: plan every channel in dependency order, then write every extract."""

from __future__ import annotations

import contextlib
import gc
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from seeds.generator import gz
from seeds.generator.ads import Ads
from seeds.generator.blog import Blog
from seeds.generator.config import GeneratorConfig
from seeds.generator.crm import Crm, plan_lead_evaluation_visits, plan_leads
from seeds.generator.email import EmailPlatform
from seeds.generator.events import Ticketing
from seeds.generator.exports import native_folders
from seeds.generator.feedback import Feedback
from seeds.generator.holdout import write_holdout
from seeds.generator.rng import py_stream
from seeds.generator.schema import TABLES
from seeds.generator.seo import SearchConsole
from seeds.generator.shop import Shop
from seeds.generator.social import Social
from seeds.generator.spend import Finance
from seeds.generator.truth import write_truth
from seeds.generator.web import Website
from seeds.generator.world import World
from seeds.generator.writers import write_json


def assign_customer_numbers(world: World) -> None:
    """Shop account numbers in account-creation order (accounts from before the window first)."""
    r = py_stream(world.cfg.seed, "customer-numbers")
    holders = sorted((p for p in world.persons if p.account_ts is not None), key=lambda p: (p.account_ts, p.idx))
    n = 100_000
    for p in holders:
        n += r.randint(1, 6)
        p.customer_number = f"C{n}"


def _prepare_out(out: Path) -> None:
    """Remove what a previous run wrote (only the generator's own folders and files)."""
    for name in list(TABLES) + native_folders() + ["_ground_truth"]:
        d = out / name
        if d.is_dir():
            shutil.rmtree(d)
    m = out / "extract.json"
    if m.exists():
        m.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(cfg: GeneratorConfig, log: Callable[[str], None] | None = None) -> dict[str, object]:
    """Generate every extract. The simulated world stays in memory for the whole run (millions of
    long-lived objects at scale), so it is moved out of the garbage collector's sight after each
    planning stage (``gc.freeze``): otherwise every full collection walks it again, a quarter or
    more of the run at 20,000 people. Nothing random depends on the collector."""
    level, threads = gz.LEVEL, gz.DEFLATER.threads
    gz.set_level(cfg.gzip_level)
    gz.DEFLATER.configure(gz.default_threads())
    try:
        try:
            stats = _generate(cfg, log or (lambda s: print(s, file=sys.stderr)))
        except BaseException:
            with contextlib.suppress(Exception):  # the first error is the one to report
                gz.drain()
            raise
        finally:
            gc.unfreeze()  # the world can be collected once the caller drops it
        gz.drain()  # every file complete on disk (deflated on background threads, see gz.py)
        return stats
    finally:
        gz.DEFLATER.configure(threads)  # waits for any task still pending
        gz.set_level(level)


def _generate(cfg: GeneratorConfig, log: Callable[[str], None]) -> dict[str, object]:
    _prepare_out(cfg.out)
    log(f"population: {cfg.people} persons, {cfg.start} .. {cfg.end}, seed {cfg.seed}")
    world = World.build(cfg)
    gc.freeze()
    ticketing = Ticketing(world)
    ticketing.plan()
    plan_leads(world)
    shop = Shop(world)
    shop.plan()
    social = Social(world)
    social.plan()
    gc.freeze()
    counts: dict[str, int] = {}
    log("email platform ...")
    counts.update(EmailPlatform(world).run())
    gc.freeze()
    plan_lead_evaluation_visits(world)
    log("shop ...")
    shop.build()
    assign_customer_numbers(world)
    crm = Crm(world)
    crm.plan()
    web = Website(world)
    web.plan()
    gc.freeze()
    log("web analytics (GA4) ...")
    counts.update(web.write())
    counts.update(shop.write())
    log("ads, search console, social, events, crm, feedback, finance ...")
    counts.update(Ads(world).write())
    counts.update(SearchConsole(world).write())
    counts.update(social.write())
    counts.update(ticketing.write())
    counts.update(crm.write())
    counts.update(Feedback(world).write())
    counts.update(Finance(world).write())
    counts.update(Blog(world).write())  # after the other writers: commenters' emails come from the ledger
    counts.update(write_truth(world))
    counts.update(write_holdout(world))  # last, from its own random stream: nothing above moves
    write_json(cfg.out / "extract.json", cfg.extract_manifest())
    world.stats["rows"] = counts
    return world.stats
